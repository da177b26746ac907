'use client';

import Link from 'next/link';
import { priceCart } from '@/lib/cart-lines';
import { formatPrice } from '@/lib/products';
import { useCart } from './cart-store';

export function CartView() {
  const { lines, value } = priceCart(useCart());
  if (lines.length === 0) {
    return (
      <p>
        Your cart is empty. <Link href="/">Browse the products.</Link>
      </p>
    );
  }
  return (
    <div className="card">
      <table>
        <thead>
          <tr>
            <th>Product</th>
            <th>Quantity</th>
            <th>Price</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.id}>
              <td>{line.name}</td>
              <td>{line.quantity}</td>
              <td>{formatPrice(line.price * line.quantity)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="price">Total: {formatPrice(value)}</p>
      <Link className="button" href="/checkout" data-testid="go-to-checkout">
        Check out
      </Link>
    </div>
  );
}
