/**
 * The Snapchat destination through `createRelay` against the `@capi-kit/testing` Snapchat fake over
 * real HTTP on loopback: rate limits retried, a bad event isolated from its batch, stale events
 * expired, the token kept out of the ledger. `autoDeliver: false` and a hand-moved clock shared
 * with the fake keep every assertion free of timing.
 */
import { createHash } from 'node:crypto';
import { startFakePlatforms, type FakePlatforms } from '@capi-kit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRelay } from '../../relay/create-relay';
import { silentLogger } from '../../relay/logger';
import type { Relay } from '../../relay/relay-types';
import { CANONICAL_NOW, canonicalEvent } from '../__fixtures__/canonical-event';
import { snapchat } from './snapchat-destination';

const HOUR = 3600_000;
const PIXEL = 'b6e1c0d2-4f3a-4c5b-8d7e-9f0a1b2c3d4e';
let fake: FakePlatforms;
let now = CANONICAL_NOW;
const relays: Relay[] = [];

beforeAll(async () => {
  fake = await startFakePlatforms({ clock: () => now });
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.close();
  fake.reset();
  now = CANONICAL_NOW;
});

function relayToSnapchat(options: { defaultCountry?: string } = {}): Relay {
  const relay = createRelay({
    ...options,
    destinations: [snapchat({ pixelId: PIXEL, accessToken: 'snap-token', baseURL: fake.url })],
    autoDeliver: false,
    now: () => now,
    logger: silentLogger,
  });
  relays.push(relay);
  return relay;
}

describe('snapchat through the relay', () => {
  it('delivers the canonical purchase once, paired with the pixel copy', async () => {
    const relay = relayToSnapchat();
    const { eventId } = await relay.track(canonicalEvent());
    fake.snapchat.recordPixelHit({ pixelId: PIXEL, eventName: 'PURCHASE', eventId });
    await relay.flush();
    expect(relay.ledger.get(eventId)?.deliveries.snapchat?.state).toBe('delivered');
    expect(fake.snapchat.dedupVerdict('PURCHASE', eventId, PIXEL)).toBe('matched');
  });

  it('retries a batch Snap rate-limited with 429, then delivers it once', async () => {
    const relay = relayToSnapchat();
    fake.snapchat.respondWith({
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
    now += HOUR;
    await relay.flush();
    expect(fake.snapchat.requests).toHaveLength(2);
    expect(fake.snapchat.events.map((event) => [event.eventName, event.eventId])).toEqual([
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
    now += HOUR;
    await relay.flush();
    expect(fake.snapchat.events.map((event) => event.eventId).sort()).toEqual(
      [ids[0], ids[1], ids[3], ids[4]].sort(),
    );
    expect(relay.ledger.get(ids[2]!)?.deliveries.snapchat).toMatchObject({
      state: 'rejected',
      reason: expect.stringContaining('currency'),
    });
    expect(fake.snapchat.dedupStats().duplicates).toBe(0);
  });

  it('rejects an event Snap answers with 400 INVALID, keeping Snap’s reason', async () => {
    const relay = relayToSnapchat();
    fake.snapchat.respondWith({
      kind: 'error',
      error: 'snapchat_invalid',
      message: 'Missing price and/or currency in Purchase events',
    });
    const { eventId } = await relay.track(canonicalEvent());
    await relay.flush();
    now += HOUR;
    await relay.flush();
    expect(fake.snapchat.requests).toHaveLength(1);
    expect(relay.ledger.get(eventId)?.deliveries.snapchat).toMatchObject({
      state: 'rejected',
      reason: expect.stringContaining('Missing price and/or currency'),
    });
  });

  it('rejects every event once the token is revoked, without retrying', async () => {
    const relay = relayToSnapchat();
    fake.snapchat.rejectToken('snap-token');
    const { eventId } = await relay.track(canonicalEvent());
    await relay.flush();
    now += HOUR;
    await relay.flush();
    expect(fake.snapchat.requests).toHaveLength(1);
    expect(relay.ledger.get(eventId)?.deliveries.snapchat?.state).toBe('rejected');
  });

  it('sends a nationally written phone as the hash of its digits with country code, no +', async () => {
    const relay = relayToSnapchat({ defaultCountry: 'GB' });
    const event = canonicalEvent();
    event.user = { ...event.user, phone: '0844 412 4653', country: undefined };
    await relay.track(event);
    await relay.flush();
    const received = fake.snapchat.events[0]!.body as { user_data: { ph: string[] } };
    // Snap's own vector (platforms.md §1.1): +44 844 412 4653 → 448444124653.
    expect(received.user_data.ph).toEqual([
      createHash('sha256').update('448444124653').digest('hex'),
    ]);
  });

  it('keeps the access token out of the ledger', async () => {
    const relay = relayToSnapchat();
    fake.snapchat.respondWith({ kind: 'error', error: 'snapchat_unauthorized' });
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
    fake.snapchat.setOutage({ kind: 'status', status: 503 });
    await relay.flush();
    now += 7 * 24 * HOUR;
    fake.snapchat.setOutage(undefined);
    await relay.flush();
    expect(fake.snapchat.events).toEqual([]);
    expect(relay.ledger.get(eventId)?.deliveries.snapchat?.state).toBe('expired');
  });
});
