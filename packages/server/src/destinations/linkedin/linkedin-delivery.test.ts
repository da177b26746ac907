/**
 * The LinkedIn destination through `createRelay` against the `@capi-kit/testing` LinkedIn fake over
 * real HTTP on loopback: delivery under the Insight Tag's rule and event ID, skips with a ledger
 * reason, throttling retried, a bad token reported as configuration, stale events expired.
 * `autoDeliver: false` and a hand-moved clock shared with the fake keep the assertions timing-free.
 */
import { describe, expect, it } from 'vitest';
import type { Relay } from '../../relay/relay-types';
import { CANONICAL_HASHES, canonicalEvent } from '../__fixtures__/canonical-event';
import { useRelayHarness } from '../__fixtures__/fake-platforms-test-kit';
import { linkedin } from './linkedin-destination';

const HOUR = 3600_000;
const RULE = 104012;

const delivery = useRelayHarness();

function relayToLinkedIn(): Relay {
  return delivery.relayTo([
    linkedin({
      accessToken: 'li-token',
      conversions: { Purchase: RULE },
      baseURL: delivery.fake.url,
    }),
  ]);
}

/** The canonical event as the relay sees it after reading the `li_fat_id` landing parameter. */
function linkedinEvent(overrides: Parameters<typeof canonicalEvent>[0] = {}) {
  const event = canonicalEvent(overrides);
  event.user = { ...event.user, liFatId: 'li-fat-abc' };
  return event;
}

describe('linkedin through the relay', () => {
  it('delivers under the Insight Tag’s conversion rule and event ID, so the copies pair', async () => {
    const relay = relayToLinkedIn();
    const { eventId } = await relay.track(linkedinEvent());
    // What the browser adapter fires: lintrk('track', { conversion_id: 104012, event_id }).
    delivery.fake.linkedin.recordPixelHit({ eventName: String(RULE), eventId });
    await relay.flush();
    expect(relay.ledger.get(eventId)?.deliveries.linkedin?.state).toBe('delivered');
    expect(delivery.fake.linkedin.dedupVerdict(String(RULE), eventId)).toBe('matched');
    const received = delivery.fake.linkedin.events[0]!;
    expect(received.eventTime).toBe(canonicalEvent().time);
    expect(received.body).toMatchObject({
      conversion: `urn:lla:llaPartnerConversion:${RULE}`,
      eventId,
      user: { userIds: [{ idType: 'SHA256_EMAIL', idValue: CANONICAL_HASHES.emailWithDots }, {}] },
    });
    expect(delivery.fake.linkedin.requests[0]!.headers).toMatchObject({
      authorization: 'Bearer li-token',
      'x-restli-method': 'BATCH_CREATE',
    });
  });

  it('skips an event without a conversion rule, with the reason in the ledger, and sends nothing', async () => {
    const relay = relayToLinkedIn();
    const { eventId } = await relay.track(linkedinEvent({ name: 'AddToCart' }));
    await relay.flush();
    expect(relay.ledger.get(eventId)?.deliveries.linkedin).toMatchObject({
      state: 'skipped',
      reason: expect.stringContaining('no LinkedIn conversion rule for "AddToCart"'),
    });
    expect(delivery.fake.linkedin.requests).toEqual([]);
  });

  it('skips when the person denied ad user data', async () => {
    const relay = relayToLinkedIn();
    const event = linkedinEvent();
    event.consent = { ...event.consent, adUserData: 'denied' };
    const { eventId } = await relay.track(event);
    await relay.flush();
    expect(relay.ledger.get(eventId)?.deliveries.linkedin?.state).toBe('skipped');
    expect(delivery.fake.linkedin.requests).toEqual([]);
  });

  it('retries a batch LinkedIn throttled with 429, then delivers it once', async () => {
    const relay = relayToLinkedIn();
    delivery.fake.linkedin.respondWith({
      kind: 'error',
      error: 'linkedin_throttled',
      headers: { 'retry-after': '60' },
    });
    const { eventId } = await relay.track(linkedinEvent());
    await relay.flush();
    expect(relay.ledger.get(eventId)?.deliveries.linkedin).toMatchObject({
      state: 'retrying',
      reason: expect.stringContaining('429'),
    });
    delivery.advance(HOUR);
    await relay.flush();
    expect(delivery.fake.linkedin.events.map((event) => event.eventId)).toEqual([eventId]);
    expect(relay.ledger.get(eventId)?.deliveries.linkedin).toMatchObject({
      state: 'delivered',
      attempts: 2,
    });
  });

  it('isolates a request-level 422 down to the event and delivers the others', async () => {
    const relay = relayToLinkedIn();
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      ids.push((await relay.track(linkedinEvent({ id: `evt_${index}` }))).eventId);
    }
    // The whole batch, then the first half ([0, 1]), then event 0 alone fail validation.
    delivery.fake.linkedin.respondWith(
      { kind: 'error', error: 'linkedin_invalid', message: 'bad element' },
      { kind: 'error', error: 'linkedin_invalid', message: 'bad element' },
      { kind: 'error', error: 'linkedin_invalid', message: 'bad element' },
    );
    await relay.flush();
    expect(relay.ledger.get(ids[0]!)?.deliveries.linkedin).toMatchObject({
      state: 'rejected',
      reason: expect.stringContaining('bad element'),
    });
    expect(delivery.fake.linkedin.events.map((event) => event.eventId).sort()).toEqual([
      ids[1],
      ids[2],
    ]);
  });

  it('rejects as a configuration error when LinkedIn refuses the token, and keeps it out of the ledger', async () => {
    const relay = relayToLinkedIn();
    delivery.fake.linkedin.rejectToken('li-token');
    const { eventId } = await relay.track(linkedinEvent());
    await relay.flush();
    expect(relay.ledger.get(eventId)?.deliveries.linkedin).toMatchObject({
      state: 'rejected',
      reason: expect.stringContaining('401'),
    });
    expect(JSON.stringify(relay.ledger.list())).not.toContain('li-token');
  });

  it('expires an event that outlived the 90-day window during an outage instead of sending it', async () => {
    const relay = relayToLinkedIn();
    const { eventId } = await relay.track(linkedinEvent());
    delivery.fake.linkedin.setOutage({ kind: 'status', status: 503 });
    await relay.flush();
    delivery.advance(90 * 24 * HOUR);
    delivery.fake.linkedin.setOutage(undefined);
    await relay.flush();
    expect(delivery.fake.linkedin.events).toEqual([]);
    expect(relay.ledger.get(eventId)?.deliveries.linkedin?.state).toBe('expired');
  });
});
