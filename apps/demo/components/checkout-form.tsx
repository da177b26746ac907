'use client';

/** InitiateCheckout when the form appears; the order itself is placed by a server action. */
import { useActionState, useEffect, useRef } from 'react';
import { placeOrder, type CheckoutState } from '@/app/checkout/actions';
import { priceCart } from '@/lib/cart-lines';
import { CURRENCY, formatPrice } from '@/lib/products';
import { useCart } from './cart-store';
import { useTracker } from './tracker-provider';

export function CheckoutForm() {
  const tracker = useTracker();
  const cart = useCart();
  const { lines, value } = priceCart(cart);
  const [state, action, pending] = useActionState<CheckoutState, FormData>(placeOrder, {});
  const tracked = useRef(false);

  useEffect(() => {
    if (tracked.current || lines.length === 0) return;
    tracked.current = true;
    tracker().track('InitiateCheckout', {
      value,
      currency: CURRENCY,
      contents: lines.map((line) => ({ id: line.id, quantity: line.quantity, price: line.price })),
      numItems: lines.reduce((sum, line) => sum + line.quantity, 0),
    });
  }, [tracker, lines, value]);

  if (lines.length === 0) return <p>Your cart is empty.</p>;

  return (
    <form className="checkout card" action={action}>
      <input type="hidden" name="cart" value={JSON.stringify(cart)} />
      <label>
        E-mail
        <input
          name="email"
          type="email"
          autoComplete="email"
          required
          data-testid="checkout-email"
        />
      </label>
      <label>
        Phone
        <input name="phone" type="tel" autoComplete="tel" required data-testid="checkout-phone" />
      </label>
      <p className="price">Total: {formatPrice(value)}</p>
      {state.error ? (
        <p role="alert" style={{ color: 'var(--bad)' }}>
          {state.error}
        </p>
      ) : null}
      <button type="submit" disabled={pending} data-testid="place-order">
        {pending ? 'Placing order…' : 'Place order'}
      </button>
    </form>
  );
}
