'use client';

/**
 * The cart lives in `localStorage`: the demo has no accounts, and the server recomputes prices from
 * the catalogue when the order is placed, so nothing the browser says about money is trusted.
 */
import { useSyncExternalStore } from 'react';
import type { CartLine } from '@/lib/orders';

const key = 'capi-kit-demo-cart';
const listeners = new Set<() => void>();
let cached: { raw: string | null; lines: CartLine[] } = { raw: null, lines: [] };

function read(): CartLine[] {
  const raw = window.localStorage.getItem(key);
  if (raw === cached.raw) return cached.lines;
  let lines: CartLine[] = [];
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (Array.isArray(parsed)) lines = parsed as CartLine[];
  } catch {
    // A corrupted cart is an empty cart.
  }
  cached = { raw, lines };
  return lines;
}

function write(lines: CartLine[]): void {
  window.localStorage.setItem(key, JSON.stringify(lines));
  for (const listener of listeners) listener();
}

export function addToCart(id: string, quantity = 1): void {
  const lines = read().map((line) => ({ ...line }));
  const line = lines.find((candidate) => candidate.id === id);
  if (line) line.quantity += quantity;
  else lines.push({ id, quantity });
  write(lines);
}

export function clearCart(): void {
  write([]);
}

const empty: CartLine[] = [];

/** The cart's lines, re-rendering when they change (empty during server rendering). */
export function useCart(): CartLine[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    read,
    () => empty,
  );
}
