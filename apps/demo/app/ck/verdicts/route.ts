/**
 * The fake platforms' deduplication verdicts for the events in the ledger, keyed by event ID and
 * destination: did the platform see the pixel copy and the server copy of the same event
 * (`matched`, counted once), only the server copy (`server_only`: the conversion the pixel lost
 * and the relay recovered), or the server copy twice (`duplicate`)? Only exists against the fakes;
 * real platforms show this in their own tools (Meta's Test Events, TikTok's Events Manager).
 */
import { platformEventName } from '@capi-kit/core';
import type { FakePlatform, FakePlatforms } from '@capi-kit/testing';
import { getDemo } from '@/lib/demo-runtime';
import { hasLedgerToken } from '@/lib/ledger-token';

function fakeFor(
  fake: FakePlatforms,
  platform: string,
  destinationId: string,
): { fake: FakePlatform; nameFor: (name: string) => string } | undefined {
  if (platform === 'meta') return { fake: fake.meta, nameFor: (name) => name };
  if (platform === 'tiktok') {
    return { fake: fake.tiktok, nameFor: (name) => platformEventName('tiktok', name) };
  }
  if (platform === 'google') {
    const isAds = destinationId.startsWith('google-ads');
    return {
      fake: isAds ? fake.dataManager : fake.ga4,
      nameFor: (name) => platformEventName('google', name),
    };
  }
  return undefined;
}

/** Verdicts that mean the platform received the server copy. */
const SERVER_SEEN = new Set(['matched', 'server_only', 'duplicate']);

export async function GET(request: Request): Promise<Response> {
  const demo = await getDemo();
  if (!hasLedgerToken(request, demo.ledgerToken)) {
    return Response.json({ error: 'A valid ledger token is required.' }, { status: 401 });
  }
  const verdicts: Record<string, Record<string, string>> = {};
  if (demo.fake) {
    const orderIdByEventId = new Map(
      [...demo.orders.values()].map((order) => [order.purchaseEventId, order.id]),
    );
    for (const entry of demo.relay.ledger.list({ limit: 200 })) {
      const perDestination: Record<string, string> = {};
      // Google keys purchases on the order ID (`transaction_id`), the others on the event ID.
      const ids = [entry.eventId, orderIdByEventId.get(entry.eventId)].filter((id): id is string =>
        Boolean(id),
      );
      for (const delivery of Object.values(entry.deliveries)) {
        const target = fakeFor(demo.fake, delivery.platform, delivery.destinationId);
        if (!target) continue;
        const candidates = ids.map((id) =>
          target.fake.dedupVerdict(target.nameFor(entry.eventName), id),
        );
        perDestination[delivery.destinationId] =
          candidates.find((verdict) => SERVER_SEEN.has(verdict)) ??
          candidates.find((verdict) => verdict !== 'unknown') ??
          'unknown';
      }
      verdicts[entry.eventId] = perDestination;
    }
  }
  return Response.json({ mode: demo.mode, verdicts }, { headers: { 'cache-control': 'no-store' } });
}
