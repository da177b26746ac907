/**
 * The demo shop's catalogue: static data, so the demo needs no database. Prices are in euros and
 * the IDs double as the catalogue IDs the platforms receive in `contents[].id`.
 */

export interface Product {
  id: string;
  name: string;
  price: number;
  category: string;
  description: string;
  /** A short emoji that stands in for a product photo (no image downloads, no image optimizer). */
  symbol: string;
}

export const CURRENCY = 'EUR';

export const PRODUCTS: readonly Product[] = [
  {
    id: 'SKU-MUG',
    name: 'Stoneware mug',
    price: 18,
    category: 'Kitchen',
    description: 'A hand-glazed 350 ml mug that keeps coffee warm through a long meeting.',
    symbol: '☕',
  },
  {
    id: 'SKU-TEE',
    name: 'Organic cotton tee',
    price: 29,
    category: 'Clothing',
    description: 'Heavyweight organic cotton, cut to last more than one summer.',
    symbol: '👕',
  },
  {
    id: 'SKU-LAMP',
    name: 'Desk lamp',
    price: 64,
    category: 'Home',
    description: 'Warm, dimmable light with a weighted base and a fabric cable.',
    symbol: '💡',
  },
  {
    id: 'SKU-PLANT',
    name: 'Potted fern',
    price: 22,
    category: 'Garden',
    description: 'A Boston fern in a terracotta pot. Forgiving if you forget it for a week.',
    symbol: '🪴',
  },
];

export function findProduct(id: string): Product | undefined {
  return PRODUCTS.find((product) => product.id === id);
}

export function formatPrice(amount: number): string {
  return new Intl.NumberFormat('en-IE', { style: 'currency', currency: CURRENCY }).format(amount);
}
