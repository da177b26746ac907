/**
 * Fault test 2, outage: Meta answers 503 for half a simulated hour and 429 + Retry-After for the
 * other half, then recovers. The relay runs on the durable SQLite store with an injected clock
 * that the test moves from one due time to the next (`flush()` at each), so an hour passes in
 * seconds and every retry time can be checked against the policy: each event ends delivered or
 * expired with a reason, none is lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakePlatforms, type FakePlatforms } from '@capi-kit/testing';
import { meta } from '../../src/destinations/meta/index';
import { createRelay, DEFAULT_RETRY_POLICY, silentLogger } from '../../src/index';
import type { QueueStore } from '../../src/queue/queue-store';
import { sqliteQueue } from '../../src/queue/stores/sqlite/index';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36';
const RETRY_AFTER_S = 300;

function purchase(id: string, time: number) {
  return {
    id,
    name: 'Purchase',
    time,
    page: { url: 'https://shop.example.com/checkout/done' },
    user: { email: `${id}@example.com`, userAgent: USER_AGENT, ip: '203.0.113.7' },
    data: { value: 42, currency: 'EUR', orderId: id },
  };
}

describe('relay on sqliteQueue through a one-hour platform outage', () => {
  let directory: string;
  let fake: FakePlatforms;
  let queue: QueueStore;
  let clock: number;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'capi-kit-outage-'));
    clock = Date.now();
    fake = await startFakePlatforms({ clock: () => clock });
  });
  afterEach(async () => {
    await fake.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('delivers or expires every event, and retries on the policy’s schedule', async () => {
    queue = sqliteQueue({ path: join(directory, 'queue.db') });
    const relay = createRelay({
      destinations: [meta({ pixelId: '1234567890', accessToken: 'token', baseURL: fake.url })],
      queue,
      autoDeliver: false,
      now: () => clock,
      logger: silentLogger,
    });
    const start = clock;
    const outageEnd = start + 60 * MINUTE;
    const fresh = Array.from({ length: 200 }, (_, index) => `fresh-${index}`);
    // Meta takes events up to 7 days old; these reach that age (less the relay's 10-minute
    // safety margin) 10 minutes into the outage, so they must expire, never be sent late.
    const stale = Array.from({ length: 50 }, (_, index) => `stale-${index}`);
    for (const id of fresh) await relay.track(purchase(id, start - MINUTE));
    for (const id of stale) await relay.track(purchase(id, start - 7 * DAY + 20 * MINUTE));

    let steps = 0;
    for (;;) {
      if (clock < start + 30 * MINUTE) fake.meta.setOutage({ kind: 'status', status: 503 });
      else if (clock < outageEnd) {
        fake.meta.setOutage({
          kind: 'status',
          status: 429,
          headers: { 'retry-after': String(RETRY_AFTER_S) },
        });
      } else fake.meta.setOutage(undefined);
      await relay.flush();
      const next = await queue.nextDueAt('meta');
      if (next === undefined) break;
      expect(next).toBeGreaterThan(clock);
      clock = next;
      expect(++steps).toBeLessThan(1_000);
    }

    // None lost: each event is at Meta or kept as expired, with a reason.
    const delivered = new Set(fake.meta.events.map((event) => event.eventId));
    expect([...delivered].sort()).toEqual([...fresh].sort());
    const letters = await queue.deadLetters();
    expect(letters.map((letter) => letter.eventId).sort()).toEqual([...stale].sort());
    for (const letter of letters) {
      expect(letter.state).toBe('expired');
      expect(letter.reason).toMatch(/window/);
    }
    expect(await queue.counts()).toEqual({
      meta: { queued: 0, inFlight: 0, retrying: 0, dead: 0, expired: stale.length },
    });
    expect(relay.ledger.get('fresh-0')?.deliveries.meta?.state).toBe('delivered');
    expect(relay.ledger.get('stale-0')?.deliveries.meta?.state).toBe('expired');
    // A stale event was offered only while inside Meta's window (less the safety margin), never
    // after: one event past 7 days would make Meta reject its whole batch.
    const staleExpiry = start + 10 * MINUTE;
    for (const request of fake.meta.requests) {
      const ids = ((request.body as { data?: { event_id: string }[] }).data ?? []).map(
        (event) => event.event_id,
      );
      if (ids.some((id) => id.startsWith('stale-'))) {
        expect(request.receivedAt).toBeLessThan(staleExpiry);
      }
    }

    // The outage really lasted the hour, in both shapes, and delivery came after it.
    const failures = fake.meta.requests.filter((request) => request.response?.status !== 200);
    expect(failures.some((request) => request.response?.status === 503)).toBe(true);
    expect(failures.some((request) => request.response?.status === 429)).toBe(true);
    expect(Math.max(...failures.map((request) => request.receivedAt))).toBeGreaterThanOrEqual(
      start + 45 * MINUTE,
    );
    const successes = fake.meta.requests.filter((request) => request.response?.status === 200);
    expect(Math.min(...successes.map((request) => request.receivedAt))).toBeGreaterThanOrEqual(
      outageEnd,
    );

    // Retry timing: for each event, the wait after its k-th failed send is at least 1 s, at least
    // Retry-After when the platform sent one, and at most the policy's cap for attempt k
    // (exponential from 5 s, capped at 15 min) unless Retry-After asked for longer.
    const sends = new Map<string, { at: number; status: number }[]>();
    for (const request of fake.meta.requests) {
      for (const event of (request.body as { data?: { event_id: string }[] }).data ?? []) {
        const list = sends.get(event.event_id) ?? [];
        list.push({ at: request.receivedAt, status: request.response?.status ?? 0 });
        sends.set(event.event_id, list);
      }
    }
    const policy = DEFAULT_RETRY_POLICY;
    for (const id of fresh) {
      const list = sends.get(id)!;
      expect(list.at(-1)!.status).toBe(200);
      expect(list.length).toBeLessThan(policy.maxAttempts);
      for (let attempt = 1; attempt < list.length; attempt++) {
        const previous = list[attempt - 1]!;
        const wait = list[attempt]!.at - previous.at;
        const retryAfterMs = previous.status === 429 ? RETRY_AFTER_S * 1000 : 0;
        const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
        expect(wait).toBeGreaterThanOrEqual(Math.max(1_000, retryAfterMs));
        expect(wait).toBeLessThanOrEqual(Math.max(1_000, cap, retryAfterMs));
      }
    }
    await relay.close();
  }, 60_000);
});
