/**
 * The Pinterest destination through `createRelay` against the `@capi-kit/testing` Pinterest fake
 * over real HTTP on loopback: rate limits retried, bad events rejected with Pinterest's message
 * while the rest of the batch is delivered, stale events expired, the token kept out of the
 * ledger. `autoDeliver: false` and a hand-moved clock shared with the fake keep every assertion
 * free of timing.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Relay } from '../../relay/relay-types';
import { canonicalEvent } from '../__fixtures__/canonical-event';
import { useRelayHarness } from '../__fixtures__/fake-platforms-test-kit';
import { pinterest } from './pinterest-destination';

const HOUR = 3600_000;
const delivery = useRelayHarness();

function relayToPinterest(options: { defaultCountry?: string } = {}): Relay {
  return delivery.relayTo(
    [
      pinterest({
        adAccountId: '549755885175',
        accessToken: 'pin-token',
        baseURL: delivery.fake.url,
      }),
    ],
    options,
  );
}

describe('pinterest through the relay', () => {
  it('delivers the canonical event once, paired with the tag copy', async () => {
    const relay = relayToPinterest();
    const { eventId } = await relay.track(canonicalEvent());
    delivery.fake.pinterest.recordPixelHit({ eventName: 'checkout', eventId });
    await relay.flush();
    expect(delivery.fake.pinterest.events.map((event) => [event.eventName, event.eventId])).toEqual(
      [['checkout', eventId]],
    );
    expect(delivery.fake.pinterest.dedupVerdict('checkout', eventId)).toBe('matched');
    expect(relay.ledger.get(eventId)?.deliveries.pinterest).toMatchObject({
      state: 'delivered',
      attempts: 1,
    });
  });

  it('retries a batch Pinterest rate-limited with 429, then delivers it once', async () => {
    const relay = relayToPinterest();
    delivery.fake.pinterest.respondWith({ kind: 'error', error: 'pinterest_rate_limit' });
    const { eventId } = await relay.track(canonicalEvent());
    await relay.flush();
    expect(delivery.fake.pinterest.requests[0]!.response).toMatchObject({
      status: 429,
      body: { code: 8 },
    });
    expect(relay.ledger.get(eventId)?.deliveries.pinterest).toMatchObject({
      state: 'retrying',
      reason: expect.stringContaining('rate limit'),
    });
    delivery.advance(HOUR);
    await relay.flush();
    expect(delivery.fake.pinterest.events.map((event) => event.eventId)).toEqual([eventId]);
    expect(relay.ledger.get(eventId)?.deliveries.pinterest).toMatchObject({
      state: 'delivered',
      attempts: 2,
    });
  });

  it('retries through a 503 outage', async () => {
    const relay = relayToPinterest();
    delivery.fake.pinterest.setOutage({ kind: 'error', error: 'pinterest_unavailable' });
    const { eventId } = await relay.track(canonicalEvent());
    await relay.flush();
    expect(relay.ledger.get(eventId)?.deliveries.pinterest?.state).toBe('retrying');
    delivery.fake.pinterest.setOutage(undefined);
    delivery.advance(HOUR);
    await relay.flush();
    expect(relay.ledger.get(eventId)?.deliveries.pinterest?.state).toBe('delivered');
  });

  it('delivers the rest of a batch when Pinterest fails one event with 422', async () => {
    const relay = relayToPinterest();
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      ids.push((await relay.track(canonicalEvent({ id: `evt_${index}` }))).eventId);
    }
    // A currency that passes the relay's three-letter check but is no ISO-4217 code: Pinterest
    // fails that one event and processes the others.
    const bad = await relay.track(
      canonicalEvent({ id: 'evt_bad', data: { ...canonicalEvent().data, currency: 'XYZ' } }),
    );
    await relay.flush();
    expect(delivery.fake.pinterest.requests[0]!.response?.status).toBe(422);
    expect(delivery.fake.pinterest.events.map((event) => event.eventId).sort()).toEqual(
      [...ids].sort(),
    );
    expect(relay.ledger.get(bad.eventId)?.deliveries.pinterest).toMatchObject({
      state: 'rejected',
      reason: expect.stringContaining('ISO-4217'),
    });
    for (const id of ids) {
      expect(relay.ledger.get(id)?.deliveries.pinterest?.state).toBe('delivered');
    }
    expect(delivery.fake.pinterest.requests).toHaveLength(1);
    expect(delivery.fake.pinterest.dedupStats().duplicates).toBe(0);
  });

  it('rejects every event once for a revoked token, as a configuration error', async () => {
    const relay = relayToPinterest();
    delivery.fake.pinterest.rejectToken('pin-token');
    const { eventId } = await relay.track(canonicalEvent());
    await relay.flush();
    delivery.advance(HOUR);
    await relay.flush();
    expect(delivery.fake.pinterest.requests).toHaveLength(1);
    expect(relay.ledger.get(eventId)?.deliveries.pinterest).toMatchObject({
      state: 'rejected',
      reason: expect.stringContaining('Authentication failed'),
    });
  });

  it('sends a nationally written phone as the hash of its digits with country code, no +', async () => {
    const relay = relayToPinterest({ defaultCountry: 'US' });
    const event = canonicalEvent();
    event.user = { ...event.user, phone: '(650) 555-1212', country: undefined };
    await relay.track(event);
    await relay.flush();
    const received = delivery.fake.pinterest.events[0]!.body as { user_data: { ph: string[] } };
    expect(received.user_data.ph).toEqual([
      createHash('sha256').update('16505551212').digest('hex'),
    ]);
  });

  it('skips Pinterest when the person denied adUserData', async () => {
    const relay = relayToPinterest();
    const { eventId } = await relay.track(canonicalEvent({ consent: { adUserData: 'denied' } }));
    await relay.flush();
    expect(delivery.fake.pinterest.requests).toEqual([]);
    expect(relay.ledger.get(eventId)?.deliveries.pinterest?.state).toBe('skipped');
  });

  it('keeps the access token and raw personal data out of the ledger', async () => {
    const relay = relayToPinterest();
    await relay.track(canonicalEvent());
    await relay.flush();
    const ledger = JSON.stringify(relay.ledger.list());
    expect(ledger).toContain('"state":"delivered"');
    expect(ledger).not.toContain('pin-token');
    expect(ledger.toLowerCase()).not.toContain('john.smith@gmail.com');
  });

  it('expires an event that outlived the 7-day window during an outage instead of sending it', async () => {
    const relay = relayToPinterest();
    const { eventId } = await relay.track(canonicalEvent());
    delivery.fake.pinterest.setOutage({ kind: 'status', status: 503 });
    await relay.flush();
    delivery.advance(7 * 24 * HOUR);
    delivery.fake.pinterest.setOutage(undefined);
    await relay.flush();
    expect(delivery.fake.pinterest.events).toEqual([]);
    expect(relay.ledger.get(eventId)?.deliveries.pinterest?.state).toBe('expired');
  });
});
