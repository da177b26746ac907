/**
 * The Reddit destination through `createRelay` against the `@capi-kit/testing` Reddit fake over
 * real HTTP on loopback: the server copy pairs with the browser pixel's copy on `conversion_id`,
 * throttling is retried, invalid events are rejected with Reddit's message, stale events expired.
 * `autoDeliver: false` and a hand-moved clock shared with the fake keep every assertion free of
 * timing.
 */
import { redditEventName } from '@capi-kit/core';
import { describe, expect, it } from 'vitest';
import type { Relay } from '../../relay/relay-types';
import { canonicalEvent } from '../__fixtures__/canonical-event';
import { useRelayHarness } from '../__fixtures__/fake-platforms-test-kit';
import { reddit } from './reddit-destination';

const HOUR = 3600_000;
const PIXEL = 't2_abc123';
const delivery = useRelayHarness();

function relayToReddit(): Relay {
  return delivery.relayTo([
    reddit({ pixelId: PIXEL, accessToken: 'rdt-token', baseURL: delivery.fake.url }),
  ]);
}

describe('reddit through the relay', () => {
  it('delivers a server copy that Reddit pairs with the pixel copy (same name, same ID)', async () => {
    const relay = relayToReddit();
    const event = canonicalEvent();
    // What the browser pixel did: rdt('track', redditEventName(name), { conversionId: event.id }).
    delivery.fake.reddit.recordPixelHit({
      pixelId: PIXEL,
      eventName: redditEventName(event.name),
      eventId: event.id,
    });
    const { eventId } = await relay.track(event);
    await relay.flush();
    expect(relay.ledger.get(eventId)?.deliveries.reddit?.state).toBe('delivered');
    const received = delivery.fake.reddit.events[0]!;
    expect(received.eventId).toBe(eventId);
    // The pixel's `Purchase` in v3's spelling.
    expect(received.eventName).toBe('PURCHASE');
    expect(delivery.fake.reddit.dedupVerdict(received.eventName, eventId, PIXEL)).toBe('matched');
  });

  it('retries a batch Reddit throttled with 429, then delivers it once', async () => {
    const relay = relayToReddit();
    delivery.fake.reddit.respondWith({ kind: 'error', error: 'reddit_rate_limited' });
    const { eventId } = await relay.track(canonicalEvent());
    await relay.flush();
    expect(delivery.fake.reddit.requests[0]!.response).toMatchObject({ status: 429 });
    expect(relay.ledger.get(eventId)?.deliveries.reddit).toMatchObject({ state: 'retrying' });
    delivery.advance(HOUR);
    await relay.flush();
    expect(delivery.fake.reddit.events.map((received) => received.eventId)).toEqual([eventId]);
    expect(relay.ledger.get(eventId)?.deliveries.reddit).toMatchObject({
      state: 'delivered',
      attempts: 2,
    });
    expect(delivery.fake.reddit.dedupStats().duplicates).toBe(0);
  });

  it('rejects an event Reddit refuses, keeping Reddit’s message, and never resends it', async () => {
    const relay = relayToReddit();
    delivery.fake.reddit.respondWith({
      kind: 'error',
      error: 'reddit_invalid',
      message: 'event_at timestamp must be less than 168h0m0s old',
    });
    const { eventId } = await relay.track(canonicalEvent());
    await relay.flush();
    delivery.advance(HOUR);
    await relay.flush();
    expect(delivery.fake.reddit.requests).toHaveLength(1);
    expect(relay.ledger.get(eventId)?.deliveries.reddit).toMatchObject({
      state: 'rejected',
      reason: expect.stringContaining('168h0m0s'),
    });
  });

  it('rejects the one event Reddit names invalid and delivers the rest of the batch', async () => {
    const relay = relayToReddit();
    const ids: string[] = [];
    for (let index = 0; index < 4; index++) {
      const event = canonicalEvent({ id: `evt_${index}` });
      // Not an ISO-4217 code: Reddit echoes this event back in invalid_events[].
      if (index === 2) event.data = { ...event.data, currency: 'XYZ' };
      ids.push((await relay.track(event)).eventId);
    }
    await relay.flush();
    delivery.advance(HOUR);
    await relay.flush();
    expect(delivery.fake.reddit.events.map((received) => received.eventId).sort()).toEqual(
      [ids[0], ids[1], ids[3]].sort(),
    );
    expect(relay.ledger.get(ids[2]!)?.deliveries.reddit).toMatchObject({
      state: 'rejected',
      reason: expect.stringContaining('currency'),
    });
    expect(delivery.fake.reddit.dedupStats().duplicates).toBe(0);
  });

  it('bisects a batch after a 400 that names no event, delivering each event once', async () => {
    const relay = relayToReddit();
    const ids: string[] = [];
    for (let index = 0; index < 4; index++) {
      ids.push((await relay.track(canonicalEvent({ id: `evt_${index}` }))).eventId);
    }
    delivery.fake.reddit.respondWith({
      kind: 'status',
      status: 400,
      body: { error: { code: 400 } },
    });
    await relay.flush();
    delivery.advance(HOUR);
    await relay.flush();
    expect(delivery.fake.reddit.events.map((received) => received.eventId).sort()).toEqual(
      [...ids].sort(),
    );
    expect(delivery.fake.reddit.dedupStats().duplicates).toBe(0);
  });

  it('reports a revoked token once as a configuration error, sending nothing', async () => {
    const relay = relayToReddit();
    delivery.fake.reddit.rejectToken('rdt-token');
    const { eventId } = await relay.track(canonicalEvent());
    await relay.flush();
    expect(delivery.fake.reddit.events).toEqual([]);
    expect(relay.ledger.get(eventId)?.deliveries.reddit).toMatchObject({
      state: 'rejected',
      reason: expect.stringContaining('UNAUTHORIZED'),
    });
    expect(JSON.stringify(relay.ledger.list())).not.toContain('rdt-token');
  });

  it('skips the event when the person denied adUserData', async () => {
    const relay = relayToReddit();
    const { eventId } = await relay.track(canonicalEvent({ consent: { adUserData: 'denied' } }));
    await relay.flush();
    expect(delivery.fake.reddit.requests).toEqual([]);
    expect(relay.ledger.get(eventId)?.deliveries.reddit?.state).toBe('skipped');
  });

  it('expires an event that outlived the 168 h window during an outage instead of sending it', async () => {
    const relay = relayToReddit();
    const { eventId } = await relay.track(canonicalEvent());
    delivery.fake.reddit.setOutage({ kind: 'status', status: 503 });
    await relay.flush();
    delivery.advance(168 * HOUR);
    delivery.fake.reddit.setOutage(undefined);
    await relay.flush();
    expect(delivery.fake.reddit.events).toEqual([]);
    expect(relay.ledger.get(eventId)?.deliveries.reddit?.state).toBe('expired');
  });
});
