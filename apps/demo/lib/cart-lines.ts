/**
 * Prices a cart against the catalogue. Both the browser (to display the cart) and the server
 * action (to create the order) use it, so the amount the Purchase reports comes from the
 * catalogue, not from whatever the browser claims.
 */
import type { CartLine, OrderLine } from './orders';
import { findProduct } from './products';

export function priceCart(cart: readonly CartLine[]): { lines: OrderLine[]; value: number } {
  const lines: OrderLine[] = [];
  for (const item of cart) {
    const product = findProduct(String(item.id));
    const quantity = Math.floor(Number(item.quantity));
    if (!product || !Number.isFinite(quantity) || quantity < 1 || quantity > 99) continue;
    lines.push({ id: product.id, name: product.name, price: product.price, quantity });
  }
  const cents = lines.reduce((sum, line) => sum + Math.round(line.price * 100) * line.quantity, 0);
  return { lines, value: cents / 100 };
}
