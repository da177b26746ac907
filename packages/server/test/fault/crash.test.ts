/**
 * Fault test 1, crash: a relay process on a SQLite file accepts 5 000 events while Meta answers
 * 503, is killed with SIGKILL, and a new process on the same file delivers every one of them once
 * Meta recovers. Duplicates (an event sent by the dead process whose answer it never saw) are
 * allowed by at-least-once delivery, must carry the same event ID, and are counted. Also the
 * graceful path: SIGTERM closes the relay and leaves every unsent event in the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePlatforms, type FakePlatforms } from '@capi-kit/testing';
import { sqliteQueue } from '../../src/queue/stores/sqlite/index';
import { buildRelayChild, type BuiltChild } from './build-child';
import { eventually, startRelayProcess, type RelayProcess } from './relay-process';

const PIXEL_ID = '1234567890';
const EVENTS = 5_000;

function purchase(index: number) {
  return {
    id: `crash-${index}`,
    name: 'Purchase',
    page: { url: 'https://shop.example.com/checkout/done' },
    user: {
      email: `buyer${index}@example.com`,
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36',
      ip: '203.0.113.7',
    },
    data: { value: 10 + (index % 90), currency: 'EUR', orderId: `A-${index}` },
  };
}

describe('a relay process on sqliteQueue', () => {
  let fake: FakePlatforms;
  let child: BuiltChild;
  let directory: string;
  const processes: RelayProcess[] = [];

  beforeAll(async () => {
    [fake, child] = await Promise.all([startFakePlatforms(), buildRelayChild()]);
    directory = mkdtempSync(join(tmpdir(), 'capi-kit-crash-'));
  });
  afterAll(async () => {
    for (const process of processes) await process.kill();
    await fake?.close();
    child?.remove();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('delivers every acknowledged event after the process is killed mid-outage', async () => {
    const config = {
      store: { kind: 'sqlite' as const, path: join(directory, 'queue.db') },
      metaBaseURL: fake.url,
      pixelId: PIXEL_ID,
    };
    fake.meta.setOutage({ kind: 'status', status: 503 });
    const first = await startRelayProcess(child.file, config);
    processes.push(first);
    let acknowledged = 0;
    for (let start = 0; start < EVENTS; start += 500) {
      const batch = Array.from({ length: 500 }, (_, offset) => purchase(start + offset));
      acknowledged += await first.track(batch);
    }
    expect(acknowledged).toBe(EVENTS);
    // The relay was really trying (and failing) to deliver when it died.
    await eventually(() => fake.meta.requests.length > 0, 'a delivery attempt during the outage');
    await first.kill();
    expect(fake.meta.events).toHaveLength(0);

    fake.meta.setOutage(undefined);
    const second = await startRelayProcess(child.file, config);
    processes.push(second);
    const received = () => new Set(fake.meta.events.map((event) => event.eventId));
    await eventually(
      () => received().size >= EVENTS,
      'all 5 000 events at Meta',
      90_000,
      async () =>
        `${received().size} arrived in ${fake.meta.requests.length} requests ` +
        `(statuses ${[...new Set(fake.meta.requests.map((r) => r.response?.status))].join(',')}); ` +
        `queue ${JSON.stringify(await second.counts())}; relay stderr: ${second.stderr()}`,
    );
    // Nothing left waiting: every row was acked (a destination with no rows has no counts).
    const empty = { queued: 0, inFlight: 0, retrying: 0, dead: 0, expired: 0 };
    await eventually(
      async () => {
        const counts = (await second.counts()).meta ?? empty;
        return counts.queued + counts.inFlight + counts.retrying === 0;
      },
      'an empty queue',
      60_000,
      async () =>
        `queue ${JSON.stringify(await second.counts())}; relay stderr: ${second.stderr()}`,
    );

    const ids = fake.meta.events.map((event) => event.eventId);
    const expected = Array.from({ length: EVENTS }, (_, index) => `crash-${index}`);
    expect([...received()].sort()).toEqual(expected.sort());
    const duplicates = ids.length - received().size;
    // Every copy is one of our IDs (checked above), so the platform's event-ID dedup absorbs them.
    console.info(`crash test: ${EVENTS} events delivered, ${duplicates} duplicate copies`);
    expect(duplicates).toBeGreaterThanOrEqual(0);
    expect(fake.meta.events.filter((event) => event.deduplicated)).toHaveLength(duplicates);
    expect((await second.counts()).meta ?? empty).toEqual(empty);
    expect(await second.stop()).toBe(0);
  }, 180_000);

  it('keeps every unsent event in the file when SIGTERM closes the relay', async () => {
    fake.reset();
    fake.meta.setOutage({ kind: 'status', status: 503 });
    const path = join(directory, 'graceful.db');
    const relay = await startRelayProcess(child.file, {
      store: { kind: 'sqlite', path },
      metaBaseURL: fake.url,
      pixelId: PIXEL_ID,
    });
    processes.push(relay);
    expect(await relay.track(Array.from({ length: 300 }, (_, index) => purchase(index)))).toBe(300);
    expect(await relay.stop()).toBe(0);

    const store = sqliteQueue({ path });
    const counts = (await store.counts()).meta!;
    await store.close();
    expect(counts.queued + counts.retrying).toBe(300);
    expect(counts.inFlight).toBe(0);
    expect(fake.meta.events).toHaveLength(0);
    fake.meta.setOutage(undefined);
  }, 60_000);

  it('delivers every event acknowledged before a kill -9 that lands mid-ingest', async () => {
    fake.reset();
    fake.meta.setOutage({ kind: 'status', status: 503 });
    const config = {
      store: { kind: 'sqlite' as const, path: join(directory, 'mid-ingest.db') },
      metaBaseURL: fake.url,
      pixelId: PIXEL_ID,
    };
    const first = await startRelayProcess(child.file, config);
    processes.push(first);
    const acknowledged = new Set<string>();
    let next = 0;
    let killed = false;
    // Four clients keep sending batches of 50; the process dies while some are in flight.
    const client = async () => {
      while (!killed) {
        const batch = Array.from({ length: 50 }, () => purchase(EVENTS + next++));
        try {
          if ((await first.track(batch)) === batch.length) {
            for (const event of batch) acknowledged.add(event.id);
          }
        } catch {
          return; // the connection died with the process: not acknowledged
        }
      }
    };
    const clients = Array.from({ length: 4 }, client);
    await eventually(() => acknowledged.size >= 2_000, '2 000 acknowledged events');
    killed = true;
    await first.kill();
    await Promise.all(clients);

    fake.meta.setOutage(undefined);
    const second = await startRelayProcess(child.file, config);
    processes.push(second);
    const received = () => new Set(fake.meta.events.map((event) => event.eventId));
    await eventually(
      () => [...acknowledged].every((id) => received().has(id)),
      'every acknowledged event at Meta',
      90_000,
      () => `${[...acknowledged].filter((id) => !received().has(id)).length} acknowledged missing`,
    );
    // Events stored but whose acknowledgement died with the process may arrive too; nothing else.
    const sent = new Set(Array.from({ length: next }, (_, index) => `crash-${EVENTS + index}`));
    expect([...received()].filter((id) => !sent.has(id ?? ''))).toEqual([]);
    expect(await second.stop()).toBe(0);
  }, 180_000);
});
