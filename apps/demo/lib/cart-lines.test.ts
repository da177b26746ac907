import { describe, expect, it } from 'vitest';
import { priceCart } from './cart-lines';

describe('priceCart', () => {
  it('prices each line from the catalogue, whatever the browser claims', () => {
    const cart = [
      { id: 'SKU-MUG', quantity: 2, price: 0.01 },
      { id: 'SKU-TEE', quantity: 1 },
    ] as unknown as { id: string; quantity: number }[];
    expect(priceCart(cart)).toEqual({
      lines: [
        { id: 'SKU-MUG', name: 'Stoneware mug', price: 18, quantity: 2 },
        { id: 'SKU-TEE', name: 'Organic cotton tee', price: 29, quantity: 1 },
      ],
      value: 65,
    });
  });

  it('drops unknown products and quantities outside 1..99', () => {
    const cart = [
      { id: 'SKU-NOPE', quantity: 1 },
      { id: 'SKU-LAMP', quantity: 0 },
      { id: 'SKU-LAMP', quantity: -3 },
      { id: 'SKU-LAMP', quantity: 100 },
      { id: 'SKU-LAMP', quantity: Number.NaN },
      { id: 'SKU-PLANT', quantity: 1 },
    ];
    expect(priceCart(cart)).toEqual({
      lines: [{ id: 'SKU-PLANT', name: 'Potted fern', price: 22, quantity: 1 }],
      value: 22,
    });
  });
});
