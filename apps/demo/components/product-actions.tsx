'use client';

/** ViewContent when the product page opens, AddToCart on the button. */
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { CURRENCY, type Product } from '@/lib/products';
import { addToCart } from './cart-store';
import { useTracker } from './tracker-provider';

export function ProductActions({ product }: { product: Product }) {
  const tracker = useTracker();
  const [added, setAdded] = useState(false);
  const viewed = useRef<string | undefined>(undefined);

  useEffect(() => {
    // Development mode runs effects twice; one ViewContent per product page.
    if (viewed.current === product.id) return;
    viewed.current = product.id;
    tracker().track('ViewContent', {
      value: product.price,
      currency: CURRENCY,
      contents: [{ id: product.id, quantity: 1, price: product.price }],
      contentName: product.name,
      contentCategory: product.category,
      contentType: 'product',
    });
  }, [tracker, product]);

  return (
    <p style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
      <button
        type="button"
        data-testid="add-to-cart"
        onClick={() => {
          addToCart(product.id);
          tracker().track('AddToCart', {
            value: product.price,
            currency: CURRENCY,
            contents: [{ id: product.id, quantity: 1, price: product.price }],
            contentName: product.name,
            contentType: 'product',
          });
          setAdded(true);
        }}
      >
        Add to cart
      </button>
      {added ? (
        <span>
          Added. <Link href="/cart">Go to cart →</Link>
        </span>
      ) : null}
    </p>
  );
}
