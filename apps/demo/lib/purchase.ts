/**
 * The Purchase's commerce data, built from the server's order. The confirmation page sends exactly
 * this, and the relay checks it against the signature made from the same function.
 */
import type { EventData } from '@capi-kit/core';
import type { Order } from './orders';

export function purchaseData(order: Omit<Order, 'purchaseSignature'>): EventData {
  return {
    value: order.value,
    currency: order.currency,
    orderId: order.id,
    contents: order.lines.map((line) => ({
      id: line.id,
      quantity: line.quantity,
      price: line.price,
    })),
    numItems: order.lines.reduce((sum, line) => sum + line.quantity, 0),
    contentType: 'product',
  };
}
