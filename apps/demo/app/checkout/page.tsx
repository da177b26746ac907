import { CheckoutForm } from '@/components/checkout-form';

export default function CheckoutPage() {
  return (
    <>
      <h1>Checkout</h1>
      <p className="muted">
        The e-mail and phone are sent to the platforms only as SHA-256 hashes, after normalization
        on the server (they help the platforms match the purchase to an ad click).
      </p>
      <CheckoutForm />
    </>
  );
}
