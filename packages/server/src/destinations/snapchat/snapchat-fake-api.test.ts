/**
 * The Snapchat destination against the `@capi-kit/testing` fake over real HTTP on loopback: the fake
 * validates like Snap (HTTP 400 INVALID for the whole request, seconds, hashed PII, Purchase value
 * and currency), so these tests catch what the exact-body tests alone cannot — that Snap would
 * accept our bodies.
 */
import { DestinationCallError } from '@capi-kit/core';
import { describe, expect, it } from 'vitest';
import { CANONICAL_NOW, canonicalEvent } from '../__fixtures__/canonical-event';
import { prepareReady, sendError } from '../__fixtures__/destination-test-kit';
import { useFakePlatforms } from '../__fixtures__/fake-platforms-test-kit';
import { snapchat } from './snapchat-destination';

const PIXEL = 'b6e1c0d2-4f3a-4c5b-8d7e-9f0a1b2c3d4e';
const platforms = useFakePlatforms({ clock: () => CANONICAL_NOW });
const signal = new AbortController().signal;
const prepare = prepareReady;

function destination(options: { validateOnly?: boolean } = {}) {
  return snapchat({
    pixelId: PIXEL,
    accessToken: 'snap-token',
    baseURL: platforms.fake.url,
    ...options,
  });
}

describe('snapchat against the fake Snapchat Conversions API', () => {
  it('gets the canonical event accepted under the pixel’s event name and dedup ID', async () => {
    const target = destination();
    const result = await target.doSend([await prepare(target)], { signal });
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
    expect(platforms.fake.snapchat.requests[0]!.response).toMatchObject({
      status: 200,
      body: { status: 'VALID' },
    });
    expect(
      platforms.fake.snapchat.events.map((event) => [
        event.pixelId,
        event.eventName,
        event.eventId,
      ]),
    ).toEqual([[PIXEL, 'PURCHASE', 'evt_01JGZ5M8Q4']]);
    expect(platforms.fake.snapchat.events[0]!.eventTime).toBe(canonicalEvent().time);
    // The token travels in the header, never in the URL.
    expect(platforms.fake.snapchat.requests[0]!.headers.authorization).toBe('Bearer snap-token');
    expect(platforms.fake.snapchat.requests[0]!.query).toEqual({});
  });

  it('gets every standard event, an offline sale and limited data use accepted', async () => {
    const target = destination();
    const names = ['PageView', 'ViewContent', 'AddToCart', 'InitiateCheckout', 'Lead', 'Signup'];
    const batch = [
      ...(await Promise.all(
        names.map((name, index) =>
          prepare(target, canonicalEvent({ id: `e${index}`, name, data: {} })),
        ),
      )),
      await prepare(target, canonicalEvent({ id: 'store', source: 'physical_store', page: {} })),
      await prepare(target, canonicalEvent({ id: 'ldu', consent: { limitedDataUse: true } })),
    ];
    const result = await target.doSend(batch, { signal });
    expect(result.outcomes.every((outcome) => outcome.status === 'delivered')).toBe(true);
    expect(platforms.fake.snapchat.events).toHaveLength(batch.length);
  });

  it('matches the browser pixel’s copy by event ID', async () => {
    const target = destination();
    platforms.fake.snapchat.recordPixelHit({
      pixelId: PIXEL,
      eventName: 'PURCHASE',
      eventId: 'evt_01JGZ5M8Q4',
    });
    await target.doSend([await prepare(target)], { signal });
    expect(platforms.fake.snapchat.dedupVerdict('PURCHASE', 'evt_01JGZ5M8Q4', PIXEL)).toBe(
      'matched',
    );
  });

  it('is refused the whole batch with a non-retryable error when one event is invalid', async () => {
    const target = destination();
    const good = await prepare(target);
    const bad = await prepare(target, canonicalEvent({ id: 'evt_bad' }));
    // A millisecond event_time: the unit bug Snap answers with "Timestamp invalid or out of range".
    bad.payload.event_time = canonicalEvent().time;
    const error = await sendError(target, [good, bad]);
    expect(error.isRetryable).toBe(false);
    expect(error.isConfigurationError).toBe(false);
    expect(error.message).toContain('data[1].event_time: Timestamp invalid or out of range');
    expect(platforms.fake.snapchat.events).toEqual([]);
  });

  it('treats a revoked token as a configuration error', async () => {
    platforms.fake.snapchat.rejectToken('snap-token');
    const target = destination();
    const error = await sendError(target, [await prepare(target)]);
    expect(error.isConfigurationError).toBe(true);
    expect(error.statusCode).toBe(401);
    expect(error.message).not.toContain('snap-token');
  });

  it('is asked to come back later by a 429 with Retry-After', async () => {
    platforms.fake.snapchat.respondWith({
      kind: 'error',
      error: 'snapchat_rate_limited',
      headers: { 'retry-after': '30' },
    });
    const target = destination();
    const error = await sendError(target, [await prepare(target)]);
    expect(error.isRetryable).toBe(true);
    expect(error.retryAfterMs).toBe(30_000);
  });

  it('sends validateOnly traffic to /events/validate, which counts nothing', async () => {
    const target = destination({ validateOnly: true });
    const result = await target.doSend([await prepare(target)], { signal });
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
    expect(platforms.fake.snapchat.requests[0]!.testMode).toBe(true);
    expect(platforms.fake.snapchat.events[0]!.validationOnly).toBe(true);
  });
});
