'use client';

/** Sends the Purchase once, with the server's event ID and signature, and empties the cart. */
import type { EventData } from '@capi-kit/core';
import { useEffect, useRef } from 'react';
import { clearCart } from './cart-store';
import { useTracker } from './tracker-provider';

export function PurchaseTracker(props: {
  eventId: string;
  signature?: string;
  data: EventData;
  user: { email: string; phone: string };
}) {
  const tracker = useTracker();
  const sent = useRef<string | undefined>(undefined);
  const { eventId, signature, data, user } = props;

  useEffect(() => {
    // React may run effects twice in development; one Purchase per rendered ID.
    if (sent.current === eventId) return;
    sent.current = eventId;
    tracker().track('Purchase', data, { eventId, signature, user });
    clearCart();
  }, [tracker, eventId, signature, data, user]);

  return null;
}
