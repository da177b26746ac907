/**
 * Orders of the demo shop, kept in memory on the demo runtime. The Purchase event ID is minted here,
 * on the server, when the order is placed: the confirmation page renders it, so the pixel copy and
 * the server copy of the Purchase share it, and a reload of the page re-sends the same ID (which
 * the relay's replay guard and the platforms' dedup both drop) instead of a second purchase.
 */

export interface OrderLine {
  id: string;
  name: string;
  price: number;
  quantity: number;
}

export interface Order {
  id: string;
  lines: OrderLine[];
  value: number;
  currency: string;
  /** As typed at checkout; only ever sent hashed by the relay, never logged. */
  email: string;
  phone: string;
  purchaseEventId: string;
  /** `relay.sign(...)` over the Purchase, so the relay uses the server's value and contents. */
  purchaseSignature?: string;
  createdAt: number;
}

export interface CartLine {
  id: string;
  quantity: number;
}
