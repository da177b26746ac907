import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  beaconEvent,
  beaconRequest,
  COLLECT_URL,
  SHOP_ORIGIN,
  startHarness,
  type Harness,
} from '../test-support/relay-harness';
import { createRouteHandler } from './next';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterEach(() => harness.fake.reset());
afterAll(async () => {
  await harness.close();
});

describe('createRouteHandler', () => {
  it('accepts a beacon through the exported POST and delivers it in after()', async () => {
    const relay = harness.makeRelay();
    const tasks: (() => unknown)[] = [];
    const { POST } = createRouteHandler(relay, { after: (task) => tasks.push(task) });
    const event = beaconEvent({}, harness.clock.now());
    const response = await POST(beaconRequest({ v: 1, events: [event] }));
    expect(response.status).toBe(204);
    expect(harness.fake.meta.events).toEqual([]);
    expect(tasks).toHaveLength(1);
    await tasks[0]!();
    expect(harness.fake.meta.events.map((one) => one.eventId)).toEqual([event.id]);
  });

  it('does not schedule delivery for a refused beacon', async () => {
    const relay = harness.makeRelay();
    const tasks: (() => unknown)[] = [];
    const { POST } = createRouteHandler(relay, { after: (task) => tasks.push(task) });
    expect((await POST(beaconRequest('{bad'))).status).toBe(400);
    expect(tasks).toEqual([]);
  });

  it("falls back quietly when Next's after() cannot run outside a request", async () => {
    const relay = harness.makeRelay();
    const { POST } = createRouteHandler(relay);
    const response = await POST(
      beaconRequest({ v: 1, events: [beaconEvent({}, harness.clock.now())] }),
    );
    expect(response.status).toBe(204);
    expect((await relay.queueCounts()).meta?.queued).toBe(1);
  });

  it('answers preflights through OPTIONS', async () => {
    const { OPTIONS } = createRouteHandler(harness.makeRelay(), { after: false });
    const response = await OPTIONS(
      new Request(COLLECT_URL, { method: 'OPTIONS', headers: { origin: SHOP_ORIGIN } }),
    );
    expect(response.status).toBe(204);
  });
});
