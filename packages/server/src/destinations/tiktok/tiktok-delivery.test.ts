/**
 * The TikTok destination through `createRelay` against the `@capi-kit/testing` TikTok fake over
 * real HTTP on loopback: throttling retried, invalid events rejected with TikTok's message, stale
 * events expired. `autoDeliver: false` and a hand-moved clock shared with the fake keep every
 * assertion free of timing.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Relay } from '../../relay/relay-types';
import { canonicalEvent } from '../__fixtures__/canonical-event';
import { useRelayHarness } from '../__fixtures__/fake-platforms-test-kit';
import { tiktok } from './tiktok-destination';

const HOUR = 3600_000;
const delivery = useRelayHarness();

function relayToTikTok(options: { defaultCountry?: string } = {}): Relay {
  return delivery.relayTo(
    [tiktok({ pixelCode: 'C1234567890', accessToken: 'tt-token', baseURL: delivery.fake.url })],
    options,
  );
}

describe('tiktok through the relay', () => {
  it('retries a batch TikTok throttled with 200 + 40100, then delivers it once', async () => {
    const relay = relayToTikTok();
    delivery.fake.tiktok.respondWith({ kind: 'error', error: 'tiktok_throttled' });
    const { eventId } = await relay.track(canonicalEvent());
    await relay.flush();
    expect(delivery.fake.tiktok.requests[0]!.response).toMatchObject({
      status: 200,
      body: { code: 40100 },
    });
    expect(relay.ledger.get(eventId)?.deliveries.tiktok).toMatchObject({
      state: 'retrying',
      reason: expect.stringContaining('40100'),
    });
    delivery.advance(HOUR);
    await relay.flush();
    expect(delivery.fake.tiktok.requests).toHaveLength(2);
    expect(delivery.fake.tiktok.events.map((event) => [event.eventName, event.eventId])).toEqual([
      ['CompletePayment', eventId],
    ]);
    expect(relay.ledger.get(eventId)?.deliveries.tiktok).toMatchObject({
      state: 'delivered',
      attempts: 2,
    });
  });

  it('rejects an event TikTok answers with 200 + 40002, keeping TikTok’s message', async () => {
    const relay = relayToTikTok();
    const message = 'Batch.0.properties.contents.0.content_id: Not a valid string';
    delivery.fake.tiktok.respondWith({ kind: 'error', error: 'tiktok_invalid', message });
    const { eventId } = await relay.track(canonicalEvent());
    await relay.flush();
    delivery.advance(HOUR);
    await relay.flush();
    expect(delivery.fake.tiktok.requests).toHaveLength(1);
    expect(relay.ledger.get(eventId)?.deliveries.tiktok).toMatchObject({
      state: 'rejected',
      reason: expect.stringContaining(message),
    });
  });

  it('delivers the rest of a batch when TikTok names one invalid event', async () => {
    const relay = relayToTikTok();
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      ids.push((await relay.track(canonicalEvent({ id: `evt_${index}` }))).eventId);
    }
    delivery.fake.tiktok.respondWith({
      kind: 'error',
      error: 'tiktok_invalid',
      message: 'Batch.2.user.email: Value looks like a plain e-mail; it must be SHA-256 hashed.',
    });
    await relay.flush();
    delivery.advance(HOUR);
    await relay.flush();
    expect(delivery.fake.tiktok.events.map((event) => event.eventId).sort()).toEqual(
      [ids[0], ids[1], ids[3], ids[4]].sort(),
    );
    expect(relay.ledger.get(ids[2]!)?.deliveries.tiktok?.state).toBe('rejected');
    expect(delivery.fake.tiktok.dedupStats().duplicates).toBe(0);
  });

  it('sends a nationally written phone as the hash of its E.164 form with +', async () => {
    const relay = relayToTikTok({ defaultCountry: 'US' });
    const event = canonicalEvent();
    event.user = { ...event.user, phone: '(650) 555-1212', country: undefined };
    await relay.track(event);
    await relay.flush();
    const received = delivery.fake.tiktok.events[0]!.body as { user: { phone: string[] } };
    expect(received.user.phone).toEqual([
      createHash('sha256').update('+16505551212').digest('hex'),
    ]);
  });

  it('keeps the access token out of the ledger', async () => {
    const relay = relayToTikTok();
    await relay.track(canonicalEvent());
    await relay.flush();
    const ledger = JSON.stringify(relay.ledger.list());
    expect(ledger).toContain('"state":"delivered"');
    expect(ledger).not.toContain('tt-token');
  });

  it('expires an event that outlived the 7-day window during an outage instead of sending it', async () => {
    const relay = relayToTikTok();
    const { eventId } = await relay.track(canonicalEvent());
    delivery.fake.tiktok.setOutage({ kind: 'status', status: 503 });
    await relay.flush();
    delivery.advance(7 * 24 * HOUR);
    delivery.fake.tiktok.setOutage(undefined);
    await relay.flush();
    expect(delivery.fake.tiktok.events).toEqual([]);
    expect(relay.ledger.get(eventId)?.deliveries.tiktok?.state).toBe('expired');
  });
});
