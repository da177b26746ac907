/**
 * The LinkedIn destination against the `@capi-kit/testing` fake over real HTTP on loopback: the
 * fake validates like LinkedIn (headers, Rest.li schema, ms times, hashed e-mail, 90 days), so
 * these tests catch what the exact-body tests alone cannot — that LinkedIn would accept our bodies.
 */
import { DestinationCallError } from '@capi-kit/core';
import { describe, expect, it } from 'vitest';
import { CANONICAL_NOW, canonicalEvent } from '../__fixtures__/canonical-event';
import { prepareReady, sendError } from '../__fixtures__/destination-test-kit';
import { useFakePlatforms } from '../__fixtures__/fake-platforms-test-kit';
import { linkedin, type LinkedInSettings } from './linkedin-destination';

const platforms = useFakePlatforms({ clock: () => CANONICAL_NOW });
const signal = new AbortController().signal;

function destination(settings: Partial<LinkedInSettings> = {}) {
  return linkedin({
    accessToken: 'li-token',
    conversions: { Purchase: 104012 },
    baseURL: platforms.fake.url,
    ...settings,
  });
}

function event(id = 'evt_01JGZ5M8Q4') {
  const canonical = canonicalEvent({ id });
  canonical.user = { ...canonical.user, liFatId: 'li-fat-abc' };
  return canonical;
}

async function sendEventError(target: ReturnType<typeof linkedin>) {
  return sendError(target, [await prepareReady(target, event())]);
}

describe('linkedin against the fake LinkedIn Conversions API', () => {
  it('gets the canonical event accepted under its rule and event ID', async () => {
    const target = destination();
    const result = await target.doSend([await prepareReady(target, event())], { signal });
    expect(result.outcomes).toEqual([{ status: 'delivered' }]);
    expect(platforms.fake.linkedin.requests[0]!.response).toEqual({
      status: 200,
      body: { elements: [{ status: 201 }] },
    });
    expect(
      platforms.fake.linkedin.events.map((received) => [
        received.pixelId,
        received.eventId,
        received.eventTime,
      ]),
    ).toEqual([['104012', 'evt_01JGZ5M8Q4', canonicalEvent().time]]);
  });

  it('is refused with a 422 naming the field when a time goes out in seconds', async () => {
    const target = destination();
    const prepared = await prepareReady(target, event());
    prepared.payload.conversionHappenedAt = Math.floor(
      prepared.payload.conversionHappenedAt / 1000,
    );
    const error = await sendError(target, [prepared]);
    expect(error).toBeInstanceOf(DestinationCallError);
    expect(error.statusCode).toBe(422);
    expect(error.isRetryable).toBe(false);
    expect(error.message).toContain('/elements/0/conversionHappenedAt');
  });

  it('rejects only the element LinkedIn finds older than 90 days', async () => {
    const target = destination();
    const fresh = await prepareReady(target, event('fresh'));
    const stale = await prepareReady(target, event('stale'));
    stale.payload.conversionHappenedAt = CANONICAL_NOW - 91 * 24 * 3600_000;
    const result = await target.doSend([fresh, stale], { signal });
    expect(result.outcomes[0]).toEqual({ status: 'delivered' });
    expect(result.outcomes[1]).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('90 days'),
    });
    expect(platforms.fake.linkedin.events.map((received) => received.eventId)).toEqual(['fresh']);
  });

  it('reports a sunset LinkedIn-Version as a configuration error', async () => {
    const error = await sendEventError(destination({ apiVersion: '202401' }));
    expect(error.statusCode).toBe(426);
    expect(error.isConfigurationError).toBe(true);
  });

  it('reports a revoked token as a configuration error without echoing it', async () => {
    platforms.fake.linkedin.rejectToken('li-token');
    const error = await sendEventError(destination());
    expect(error.statusCode).toBe(401);
    expect(error.isConfigurationError).toBe(true);
    expect(error.platformCode).toBe(65600);
    expect(error.message).not.toContain('li-token');
  });
});
