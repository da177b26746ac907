/**
 * Order confirmation. The Purchase event ID was minted by the server when the order was placed and
 * is rendered here, so the pixel copy fired from this page and the server copy the relay sends
 * carry the same ID and the platforms count the purchase once.
 */
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PurchaseTracker } from '@/components/purchase-tracker';
import { getDemo } from '@/lib/demo-runtime';
import { formatPrice } from '@/lib/products';
import { purchaseData } from '@/lib/purchase';

export default async function OrderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  const order = (await getDemo()).orders.get(orderId);
  if (!order) notFound();

  return (
    <div className="card">
      <h1>Thank you!</h1>
      <p>
        Order <strong data-testid="order-id">{order.id}</strong>, total{' '}
        <strong>{formatPrice(order.value)}</strong>.
      </p>
      <p className="muted">
        Purchase event ID (rendered by the server, shared by the pixels and the server copy):{' '}
        <code data-testid="purchase-event-id">{order.purchaseEventId}</code>
      </p>
      <PurchaseTracker
        eventId={order.purchaseEventId}
        signature={order.purchaseSignature}
        data={purchaseData(order)}
        user={{ email: order.email, phone: order.phone }}
      />
      <p>
        <Link href="/inspector" data-testid="open-inspector">
          See this purchase in the event inspector →
        </Link>
      </p>
    </div>
  );
}
