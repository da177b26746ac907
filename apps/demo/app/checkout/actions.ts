'use server';

/**
 * Placing an order: the server prices the cart from the catalogue, mints the Purchase event ID and
 * signs the Purchase with `relay.sign`, then sends the browser to the confirmation page, which
 * renders that ID. This is the pattern to copy: the server decides the ID and the value.
 */
import { randomBytes } from 'node:crypto';
import { generateEventId } from '@capi-kit/core';
import { redirect } from 'next/navigation';
import { priceCart } from '@/lib/cart-lines';
import { getDemo } from '@/lib/demo-runtime';
import type { CartLine } from '@/lib/orders';
import { CURRENCY } from '@/lib/products';
import { purchaseData } from '@/lib/purchase';

export interface CheckoutState {
  error?: string;
}

export async function placeOrder(_state: CheckoutState, form: FormData): Promise<CheckoutState> {
  const email = String(form.get('email') ?? '').trim();
  const phone = String(form.get('phone') ?? '').trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { error: 'Please enter a valid e-mail.' };
  if (phone.replace(/\D/g, '').length < 7) return { error: 'Please enter a phone number.' };

  let cart: CartLine[] = [];
  try {
    const parsed: unknown = JSON.parse(String(form.get('cart') ?? '[]'));
    if (Array.isArray(parsed)) cart = parsed as CartLine[];
  } catch {
    return { error: 'Your cart could not be read. Please add the products again.' };
  }
  const { lines, value } = priceCart(cart);
  if (lines.length === 0) return { error: 'Your cart is empty.' };

  const demo = await getDemo();
  const orderId = `A-${randomBytes(4).toString('hex').toUpperCase()}`;
  const purchaseEventId = generateEventId();
  const order = {
    id: orderId,
    lines,
    value,
    currency: CURRENCY,
    email,
    phone,
    purchaseEventId,
    createdAt: Date.now(),
  };
  const purchaseSignature = await demo.relay.sign({
    name: 'Purchase',
    id: purchaseEventId,
    data: purchaseData(order),
  });
  demo.orders.set(orderId, { ...order, purchaseSignature });
  redirect(`/order/${orderId}`);
}
