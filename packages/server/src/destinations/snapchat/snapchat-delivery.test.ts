/**
 * The Snapchat destination through `createRelay` against the `@capi-kit/testing` Snapchat fake over
 * real HTTP on loopback: rate limits retried, a bad event isolated from its batch, stale events
 * expired, the token kept out of the ledger. `autoDeliver: false` and a hand-moved clock shared
 * with the fake keep every assertion free of timing.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Relay } from '../../relay/relay-types';
import { canonicalEvent } from '../__fixtures__/canonical-event';
import { useRelayHarness } from '../__fixtures__/fake-platforms-test-kit';
import { snapchat } from './snapchat-destination';

const HOUR = 3600_000;
const PIXEL = 'b6e1c0d2-4f3a-4c5b-8d7e-9f0a1b2c3d4e';
const delivery = useRelayHarness();

function relayToSnapchat(options: { defaultCountry?: string } = {}): Relay {
  return delivery.relayTo(
    [snapchat({ pixelId: PIXEL, accessToken: 'snap-token', baseURL: delivery.fake.url })],
    options,
  );
}

describe('snapchat through the relay', () => {
  it('delivers the canonical purchase once, paired with the pixel copy', async () => {
    const relay = relayToSnapchat();
    const { eventId } = await relay.track(canonicalEvent());
    delivery.fake.snapchat.recordPixelHit({ pixelId: PIXEL, eventName: 'PURCHASE', eventId });
    await relay.flush();
    expect(relay.ledger.get(eventId)?.deliveries.snapchat?.state).toBe('delivered');
    expect(delivery.fake.snapchat.dedupVerdict('PURCHASE', eventId, PIXEL)).toBe('matched');
  });

  it('retries a batch Snap rate-limited with 429, then delivers it once', async () => {
    const relay = relayToSnapchat();
    delivery.fake.snapchat.respondWith({
      kind: 'error',
      error: 'snapchat_rate_limited',
      headers: { 'retry-after': '60' },
    });
    const { eventId } = await relay.track(canonicalEvent());
    await relay.flush();
    expect(relay.ledger.get(eventId)?.deliveries.snapchat).toMatchObject({
      state: 'retrying',
      reason: expect.stringContaining('429'),
    });
    delivery.advance(HOUR);
    await relay.flush();
    expect(delivery.fake.snapchat.requests).toHaveLength(2);
    expect(delivery.fake.snapchat.events.map((event) => [event.eventName, event.eventId])).toEqual([
      ['PURCHASE', eventId],
    ]);
    expect(relay.ledger.get(eventId)?.deliveries.snapchat).toMatchObject({
      state: 'delivered',
      attempts: 2,
    });
  });

  it('isolates the one event Snap refuses and delivers the rest of the batch', async () => {
    const relay = relayToSnapchat();
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      const event = canonicalEvent({ id: `evt_${index}` });
      // Not an ISO-4217 code: Snap refuses the whole request that carries it.
      if (index === 2) event.data = { ...event.data, currency: 'XYZ' };
      ids.push((await relay.track(event)).eventId);
    }
    await relay.flush();
    delivery.advance(HOUR);
    await relay.flush();
    expect(delivery.fake.snapchat.events.map((event) => event.eventId).sort()).toEqual(
      [ids[0], ids[1], ids[3], ids[4]].sort(),
    );
    expect(relay.ledger.get(ids[2]!)?.deliveries.snapchat).toMatchObject({
      state: 'rejected',
      reason: expect.stringContaining('currency'),
    });
    expect(delivery.fake.snapchat.dedupStats().duplicates).toBe(0);
  });

  it('rejects an event Snap answers with 400 INVALID, keeping Snap’s reason', async () => {
    const relay = relayToSnapchat();
    delivery.fake.snapchat.respondWith({
      kind: 'error',
      error: 'snapchat_invalid',
      message: 'Missing price and/or currency in Purchase events',
    });
    const { eventId } = await relay.track(canonicalEvent());
    await relay.flush();
    delivery.advance(HOUR);
    await relay.flush();
    expect(delivery.fake.snapchat.requests).toHaveLength(1);
    expect(relay.ledger.get(eventId)?.deliveries.snapchat).toMatchObject({
      state: 'rejected',
      reason: expect.stringContaining('Missing price and/or currency'),
    });
  });

  it('rejects every event once the token is revoked, without retrying', async () => {
    const relay = relayToSnapchat();
    delivery.fake.snapchat.rejectToken('snap-token');
    const { eventId } = await relay.track(canonicalEvent());
    await relay.flush();
    delivery.advance(HOUR);
    await relay.flush();
    expect(delivery.fake.snapchat.requests).toHaveLength(1);
    expect(relay.ledger.get(eventId)?.deliveries.snapchat?.state).toBe('rejected');
  });

  it('sends a nationally written phone as the hash of its digits with country code, no +', async () => {
    const relay = relayToSnapchat({ defaultCountry: 'GB' });
    const event = canonicalEvent();
    event.user = { ...event.user, phone: '0844 412 4653', country: undefined };
    await relay.track(event);
    await relay.flush();
    const received = delivery.fake.snapchat.events[0]!.body as { user_data: { ph: string[] } };
    // Snap's own vector (platforms.md §1.1): +44 844 412 4653 → 448444124653.
    expect(received.user_data.ph).toEqual([
      createHash('sha256').update('448444124653').digest('hex'),
    ]);
  });

  it('keeps the access token out of the ledger', async () => {
    const relay = relayToSnapchat();
    delivery.fake.snapchat.respondWith({ kind: 'error', error: 'snapchat_unauthorized' });
    await relay.track(canonicalEvent({ id: 'a' }));
    await relay.flush();
    await relay.track(canonicalEvent({ id: 'b' }));
    await relay.flush();
    const ledger = JSON.stringify(relay.ledger.list());
    expect(ledger).toContain('"state":"delivered"');
    expect(ledger).not.toContain('snap-token');
  });

  it('expires an event that outlived the 7-day window during an outage instead of sending it', async () => {
    const relay = relayToSnapchat();
    const { eventId } = await relay.track(canonicalEvent());
    delivery.fake.snapchat.setOutage({ kind: 'status', status: 503 });
    await relay.flush();
    delivery.advance(7 * 24 * HOUR);
    delivery.fake.snapchat.setOutage(undefined);
    await relay.flush();
    expect(delivery.fake.snapchat.events).toEqual([]);
    expect(relay.ledger.get(eventId)?.deliveries.snapchat?.state).toBe('expired');
  });
});
