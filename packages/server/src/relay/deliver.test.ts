import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { meta } from '../destinations/meta/index';
import type { MetaServerEvent } from '../destinations/meta/meta-api-types';
import { memoryQueue } from '../queue/memory-queue';
import { FORBIDDEN_IN_LOGS, TEST_ACCESS_TOKEN, TEST_USER_AGENT } from '../test-support/pii';
import {
  beaconEvent,
  beaconRequest,
  startHarness,
  type Harness,
} from '../test-support/relay-harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
});
afterEach(() => {
  harness.fake.reset();
  harness.logger.lines.length = 0;
});

const HOUR = 3600_000;

function serverEvent(index: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `srv-${index}-${Math.random().toString(36).slice(2, 8)}`,
    name: 'Purchase',
    source: 'system' as const,
    time: harness.clock.now(),
    user: { externalId: `customer-${index}` },
    data: { value: 10, currency: 'EUR' },
    ...overrides,
  };
}

describe('delivery', () => {
  it('sends 2 500 queued events in 3 requests of at most 1 000', async () => {
    const relay = harness.makeRelay();
    const ids: string[] = [];
    for (let index = 0; index < 2500; index++)
      ids.push((await relay.track(serverEvent(index))).eventId);
    await relay.flush();
    expect(
      harness.fake.meta.requests.map(
        (request) => (request.body as { data: unknown[] }).data.length,
      ),
    ).toEqual([1000, 1000, 500]);
    expect(harness.fake.meta.events.map((event) => event.eventId).sort()).toEqual([...ids].sort());
    expect(harness.fake.meta.dedupStats().duplicates).toBe(0);
    expect(relay.ledger.get(ids[2499]!)?.deliveries.meta?.state).toBe('delivered');
  });

  it('retries 500, 503, 429 + Retry-After, a reset and a timeout, then delivers exactly once', async () => {
    const relay = harness.makeRelay({}, { timeoutMs: 200 });
    harness.fake.meta.respondWith(
      { kind: 'status', status: 500 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 429, headers: { 'retry-after': '120' } },
      { kind: 'reset' },
      { kind: 'timeout' },
    );
    const { eventId } = await relay.track(serverEvent(1));
    await relay.flush(); // 500
    await relay.flush(); // nothing is due before the backoff: no new request
    expect(harness.fake.meta.requests).toHaveLength(1);
    expect(relay.ledger.get(eventId)?.deliveries.meta?.state).toBe('retrying');
    harness.clock.advance(HOUR);
    await relay.flush(); // 503
    harness.clock.advance(HOUR);
    await relay.flush(); // 429, Retry-After 120 s
    harness.clock.advance(119_999);
    await relay.flush();
    expect(harness.fake.meta.requests).toHaveLength(3);
    harness.clock.advance(1);
    await relay.flush(); // reset
    harness.clock.advance(HOUR);
    await relay.flush(); // timeout
    harness.clock.advance(HOUR);
    await relay.flush(); // delivered
    expect(harness.fake.meta.requests).toHaveLength(6);
    expect(harness.fake.meta.events.map((event) => event.eventId)).toEqual([eventId]);
    const delivery = relay.ledger.get(eventId)!.deliveries.meta!;
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 6 });
    expect(delivery.history.map((step) => step.state)).toEqual([
      'queued',
      ...Array<string[]>(5).fill(['sent', 'retrying']).flat(),
      'sent',
      'delivered',
    ]);
    expect(delivery.history[6]!.reason).toContain('HTTP 429');
  });

  it('on its timers, holds the other batches of a destination that is down instead of sending each into the outage', async () => {
    const relay = harness.makeRelay({
      autoDeliver: true,
      lingerMs: 10,
      now: Date.now,
      // A long first backoff: the pause outlasts the test, so any second request would be a
      // batch sent into the outage.
      retry: { baseDelayMs: 600_000, maxDelayMs: 600_000, maxAttempts: 100 },
    });
    harness.fake.meta.setOutage({ kind: 'status', status: 503 });
    const ids: string[] = [];
    for (let index = 0; index < 2500; index++)
      ids.push((await relay.track({ ...serverEvent(index), time: Date.now() })).eventId);
    await vi.waitFor(
      async () => expect((await relay.queueCounts()).meta).toMatchObject({ retrying: 1000 }),
      { timeout: 5000 },
    );
    // One batch met the outage; the two others were not sent into it nor charged an attempt.
    expect(harness.fake.meta.requests).toHaveLength(1);
    expect((await relay.queueCounts()).meta).toMatchObject({ queued: 1500, inFlight: 0 });
    expect(relay.ledger.get(ids[2499]!)?.deliveries.meta).toMatchObject({
      state: 'queued',
      attempts: 0,
    });
    // flush() still sends everything due, paused or not.
    harness.fake.meta.setOutage(undefined);
    await relay.flush();
    expect(relay.ledger.get(ids[2499]!)?.deliveries.meta?.state).toBe('delivered');
    await relay.close();
  });

  it('isolates a poison event by bisecting the batch, delivering the rest', async () => {
    const relay = harness.makeRelay();
    const good: string[] = [];
    for (let index = 0; index < 7; index++)
      good.push((await relay.track(serverEvent(index))).eventId);
    // Not an ISO-4217 code: Meta rejects the whole request for this one event.
    const poison = (await relay.track(serverEvent(99, { data: { value: 5, currency: 'XYZ' } })))
      .eventId;
    for (let index = 7; index < 10; index++)
      good.push((await relay.track(serverEvent(index))).eventId);
    await relay.flush();
    expect(harness.fake.meta.events.map((event) => event.eventId).sort()).toEqual([...good].sort());
    expect(harness.fake.meta.dedupStats().duplicates).toBe(0);
    const rejected = relay.ledger.get(poison)!.deliveries.meta!;
    expect(rejected.state).toBe('rejected');
    expect(rejected.reason).toMatch(/currency/);
    expect(rejected.reason).toMatch(/fbtrace_id/);
    const counts = await relay.queueCounts();
    expect(counts.meta).toMatchObject({ queued: 0, retrying: 0, dead: 1 });
  });

  it('expires events older than the platform window instead of sending them', async () => {
    const relay = harness.makeRelay();
    const { eventId } = await relay.track(
      serverEvent(1, { time: harness.clock.now() - 6 * 24 * HOUR }),
    );
    harness.fake.meta.setOutage({ kind: 'status', status: 503 });
    await relay.flush();
    harness.clock.advance(24 * HOUR);
    harness.fake.meta.setOutage(undefined);
    await relay.flush();
    expect(harness.fake.meta.events).toEqual([]);
    expect(relay.ledger.get(eventId)?.deliveries.meta).toMatchObject({ state: 'expired' });
    expect((await relay.queueCounts()).meta).toMatchObject({ expired: 1, queued: 0, retrying: 0 });
  });

  it('marks an event already too old on arrival as expired and never queues it', async () => {
    const relay = harness.makeRelay();
    const result = await relay.track(serverEvent(1, { time: harness.clock.now() - 8 * 24 * HOUR }));
    expect(result).toMatchObject({ status: 'skipped', deliveries: { meta: { state: 'skipped' } } });
    expect(relay.ledger.get(result.eventId)?.deliveries.meta?.state).toBe('expired');
    expect((await relay.queueCounts()).meta).toBeUndefined();
  });

  it('rejects every event on a token error and reports it once, not per event', async () => {
    const relay = harness.makeRelay({ ledgerSize: 2000 });
    harness.fake.meta.setOutage({ kind: 'error', error: 'meta_token' });
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      ids.push((await relay.track(serverEvent(index))).eventId);
      await relay.flush();
    }
    for (let index = 3; index < 1500; index++)
      ids.push((await relay.track(serverEvent(index))).eventId);
    await relay.flush();
    harness.fake.meta.setOutage(undefined);
    const reports = harness.logger.lines.filter((line) => line.level === 'error');
    expect(reports).toHaveLength(1);
    expect(reports[0]!.message).toMatch(/misconfigured/);
    expect(reports[0]!.fields).toMatchObject({ platformCode: 190 });
    // No bisection, no retries: one request per batch.
    expect(harness.fake.meta.requests).toHaveLength(5);
    expect(ids.every((id) => relay.ledger.get(id)?.deliveries.meta?.state === 'rejected')).toBe(
      true,
    );
  });

  it('dead-letters an event when the retry budget is spent', async () => {
    const relay = harness.makeRelay({ retry: { maxAttempts: 3 } });
    harness.fake.meta.setOutage({ kind: 'status', status: 503 });
    const { eventId } = await relay.track(serverEvent(1));
    for (let attempt = 0; attempt < 3; attempt++) {
      await relay.flush();
      harness.clock.advance(HOUR);
    }
    harness.fake.meta.setOutage(undefined);
    await relay.flush();
    expect(harness.fake.meta.requests).toHaveLength(3);
    expect(relay.ledger.get(eventId)?.deliveries.meta).toMatchObject({
      state: 'rejected',
      attempts: 3,
    });
    expect(relay.ledger.get(eventId)?.deliveries.meta?.reason).toMatch(/gave up after 3 attempts/);
  });

  it('keeps delivering to one destination while another is down', async () => {
    const relay = harness.makeRelay({
      destinations: [
        meta({
          pixelId: '111',
          accessToken: TEST_ACCESS_TOKEN,
          baseURL: harness.fake.url,
          id: 'meta:111',
        }),
        meta({
          pixelId: '222',
          accessToken: TEST_ACCESS_TOKEN,
          baseURL: `http://127.0.0.1:9`,
          id: 'meta:down',
          timeoutMs: 500,
        }),
      ],
    });
    const { eventId } = await relay.track(serverEvent(1));
    await relay.flush();
    const entry = relay.ledger.get(eventId)!;
    expect(entry.deliveries['meta:111']?.state).toBe('delivered');
    expect(entry.deliveries['meta:down']?.state).toBe('retrying');
  });

  it('answers 204 while a destination hangs, and delivers in the background', async () => {
    const relay = harness.makeRelay({ autoDeliver: true, lingerMs: 0 }, { timeoutMs: 300 });
    harness.fake.meta.setOutage({ kind: 'timeout' });
    const first = await relay.handle(
      beaconRequest({ v: 1, events: [beaconEvent({}, harness.clock.now())] }),
    );
    expect(first.status).toBe(204);
    // The send is now hanging at the fake...
    await vi.waitFor(() => expect(harness.fake.meta.requests.length).toBeGreaterThan(0), {
      timeout: 5000,
    });
    // ...and a new beacon is still acknowledged.
    const second = await relay.handle(
      beaconRequest({ v: 1, events: [beaconEvent({}, harness.clock.now())] }),
    );
    expect(second.status).toBe(204);
    harness.fake.meta.setOutage(undefined);
    await relay.close();
  });

  it('delivers on its own after the linger time when autoDeliver is on', async () => {
    const relay = harness.makeRelay({ autoDeliver: true, lingerMs: 20 });
    const event = beaconEvent({}, harness.clock.now());
    await relay.handle(
      beaconRequest({ v: 1, events: [event] }, { headers: { 'user-agent': TEST_USER_AGENT } }),
    );
    await vi.waitFor(
      () => expect(harness.fake.meta.events.map((one) => one.eventId)).toEqual([event.id]),
      {
        timeout: 5000,
      },
    );
    await relay.close();
  });

  it('retries on its own timers after an outage until the queue is empty', async () => {
    const relay = harness.makeRelay({
      autoDeliver: true,
      lingerMs: 10,
      now: Date.now,
      retry: { baseDelayMs: 100, maxDelayMs: 500, maxAttempts: 100 },
    });
    harness.fake.meta.setOutage({ kind: 'status', status: 503 });
    const ids: string[] = [];
    for (let index = 0; index < 30; index++)
      ids.push((await relay.track({ ...serverEvent(index), time: Date.now() })).eventId);
    await vi.waitFor(() => expect(harness.fake.meta.requests.length).toBeGreaterThan(0), {
      timeout: 5000,
    });
    harness.fake.meta.setOutage(undefined);
    await vi.waitFor(
      async () => {
        expect((await relay.queueCounts()).meta).toMatchObject({
          queued: 0,
          inFlight: 0,
          retrying: 0,
        });
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(new Set(harness.fake.meta.events.map((event) => event.eventId))).toEqual(new Set(ids));
    await relay.close();
  });

  it('delivers a backlog already in the store when a relay starts', async () => {
    const queue = memoryQueue();
    const writer = harness.makeRelay({ queue });
    const { eventId } = await writer.track(serverEvent(1));
    const reader = harness.makeRelay({ queue, autoDeliver: true });
    await vi.waitFor(
      () => expect(harness.fake.meta.events.map((event) => event.eventId)).toEqual([eventId]),
      {
        timeout: 5000,
      },
    );
    await reader.close();
  });

  it('sends as soon as a batch is full, without waiting for the linger time', async () => {
    const relay = harness.makeRelay({
      autoDeliver: true,
      lingerMs: 3_600_000,
      maxEventsPerRequest: 5,
    });
    for (let index = 0; index < 5; index++) await relay.track(serverEvent(index));
    await vi.waitFor(() => expect(harness.fake.meta.events).toHaveLength(5), { timeout: 5000 });
    expect(harness.fake.meta.requests).toHaveLength(1);
    await relay.close();
  });

  it('caps batches at maxEventsPerRequest', async () => {
    const relay = harness.makeRelay({ maxEventsPerRequest: 100 });
    for (let index = 0; index < 250; index++) await relay.track(serverEvent(index));
    await relay.flush();
    expect(
      harness.fake.meta.requests.map(
        (request) => (request.body as { data: unknown[] }).data.length,
      ),
    ).toEqual([100, 100, 50]);
  });

  it('drains the queue on close()', async () => {
    const queue = memoryQueue();
    const relay = harness.makeRelay({ queue });
    const { eventId } = await relay.track(serverEvent(1));
    await relay.close();
    expect(harness.fake.meta.events.map((event) => event.eventId)).toEqual([eventId]);
    await expect(queue.enqueue([])).rejects.toThrow(/closed/);
  });

  it('warns on close when events are still waiting in the memory queue', async () => {
    const relay = harness.makeRelay();
    harness.fake.meta.setOutage({ kind: 'status', status: 503 });
    await relay.track(serverEvent(1));
    await relay.close();
    harness.fake.meta.setOutage(undefined);
    const warning = harness.logger.lines.find((line) => line.message.startsWith('relay closed'));
    expect(warning?.message).toMatch(/memory queue; they are lost/);
    expect(warning?.fields).toMatchObject({ destinations: [{ destinationId: 'meta', count: 1 }] });
  });

  it('feeds every ledger change to onEvent', async () => {
    const states: string[] = [];
    const relay = harness.makeRelay({
      onEvent: (entry) => states.push(entry.deliveries.meta!.state),
    });
    await relay.track(serverEvent(1));
    await relay.flush();
    expect(states).toEqual(['queued', 'sent', 'delivered']);
  });

  it('stores only hashed personal data in the queue', async () => {
    const queue = memoryQueue();
    const relay = harness.makeRelay({ queue });
    await relay.handle(beaconRequest({ v: 1, events: [beaconEvent({}, harness.clock.now())] }));
    const [item] = await queue.claim('meta', 10, harness.clock.now());
    const text = JSON.stringify(item!.payload).toLowerCase();
    // The exact raw values, not fragments: a bare `555` also turns up in random hex and cookie IDs.
    for (const raw of FORBIDDEN_IN_LOGS) expect(text).not.toContain(raw.toLowerCase());
    expect((item!.payload as MetaServerEvent).user_data.em![0]).toMatch(/^[0-9a-f]{64}$/);
  });
});
