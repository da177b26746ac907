import type { Product } from '@/lib/products';

/** A coloured tile with the product's initials, in place of a photo. */
export function ProductTile({ product }: { product: Product }) {
  const initials = product.name
    .split(' ')
    .map((word) => word[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
  return (
    <div className="product-tile" style={{ background: product.color }} aria-hidden>
      {initials}
    </div>
  );
}
