import { CartView } from '@/components/cart-view';

export default function CartPage() {
  return (
    <>
      <h1>Cart</h1>
      <CartView />
    </>
  );
}
