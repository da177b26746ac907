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
  /** Colour of the tile that stands in for a product photo (no image files, no image optimizer). */
  color: string;
}

export const CURRENCY = 'EUR';

export const PRODUCTS: readonly Product[] = [
  {
    id: 'SKU-MUG',
    name: 'Stoneware mug',
    price: 18,
    category: 'Kitchen',
    description: 'A hand-glazed 350 ml mug that keeps coffee warm through a long meeting.',
    color: '#b5651d',
  },
  {
    id: 'SKU-TEE',
    name: 'Organic cotton tee',
    price: 29,
    category: 'Clothing',
    description: 'Heavyweight organic cotton, cut to last more than one summer.',
    color: '#2f6f9f',
  },
  {
    id: 'SKU-LAMP',
    name: 'Desk lamp',
    price: 64,
    category: 'Home',
    description: 'Warm, dimmable light with a weighted base and a fabric cable.',
    color: '#d4a017',
  },
  {
    id: 'SKU-PLANT',
    name: 'Potted fern',
    price: 22,
    category: 'Garden',
    description: 'A Boston fern in a terracotta pot. Forgiving if you forget it for a week.',
    color: '#3f8f4f',
  },
];

export function findProduct(id: string): Product | undefined {
  return PRODUCTS.find((product) => product.id === id);
}

export function formatPrice(amount: number): string {
  return new Intl.NumberFormat('en-IE', { style: 'currency', currency: CURRENCY }).format(amount);
}
