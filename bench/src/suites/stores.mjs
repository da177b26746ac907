/**
 * Suite 6, queue stores. Ingest: events/s enqueued into the memory, SQLite (a temp file) and Redis
 * (a `redis-server` started here on a free loopback port) stores, by 64 concurrent single-event
 * `enqueue` calls, as concurrent collect requests make them, each sample on a fresh store, the
 * stores interleaved round by round; the memory store is the baseline. Outage: peak RSS of a relay
 * process with the SQLite store while the Meta sink answers 503 for a simulated hour at 500
 * events/s (injected clock), then everything delivered once the sink recovers.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PAGE_URL, USER_AGENT } from '../lib/fixtures.mjs';
import { interleaved, round, settle } from '../lib/measure.mjs';
import { ask, startChild } from '../lib/processes.mjs';
import { startRedisServer } from '../lib/redis-server.mjs';
import {
  failedRow,
  importLanded,
  makeRow,
  NotYetAvailable,
  unavailableRow,
} from '../lib/report.mjs';

const SUITE = '6 queue stores';
const CONCURRENCY = 64;
const INGEST_GOAL = 20_000;
const RSS_GOAL_MB = 256;

/** @param {string} text */
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/**
 * A prepared Meta event as the relay stores it: hashed personal data only (~0.8 KB of JSON).
 * @param {number} index
 * @param {number} now
 */
function queueItem(index, now) {
  const eventId = randomUUID();
  return {
    destinationId: 'meta',
    eventId,
    eventName: 'Purchase',
    eventTime: now,
    expiresAt: now + 7 * 24 * 3600_000,
    payload: {
      event_name: 'Purchase',
      event_time: Math.floor(now / 1000),
      event_id: eventId,
      action_source: 'website',
      event_source_url: PAGE_URL,
      user_data: {
        em: [sha256(`customer.${index}@example.com`)],
        ph: [sha256(`1650555${index}`)],
        fn: [sha256('mary')],
        ln: [sha256('obriensmith')],
        ct: [sha256('menlopark')],
        zp: [sha256('94025')],
        country: [sha256('us')],
        client_ip_address: '203.0.113.7',
        client_user_agent: USER_AGENT,
        fbc: 'fb.1.1554763741205.IwAR2AbCdEfGhIjKlMnOp',
        fbp: `fb.1.1558571054389.${1098115397 + index}`,
      },
      custom_data: { value: 42.5, currency: 'EUR' },
    },
  };
}

/** Prepared payloads made once, so the measured loop only builds the small item around one. */
const ITEM_POOL = (() => {
  const now = Date.now();
  return Array.from({ length: 1000 }, (_, index) => queueItem(index, now));
})();

/**
 * A new queue item (fresh event ID) around a pooled payload.
 * @param {number} index
 */
function pooledItem(index) {
  const template = ITEM_POOL[index % ITEM_POOL.length];
  const eventId = randomUUID();
  return { ...template, eventId, payload: { ...template.payload, event_id: eventId } };
}

/**
 * Events/s of `CONCURRENCY` workers each enqueueing one event at a time for `minMs`.
 * @param {{ enqueue: (items: unknown[]) => Promise<void> }} store
 * @param {number} minMs
 */
async function ingestRate(store, minMs) {
  let count = 0;
  const started = performance.now();
  let stop = false;
  const worker = async () => {
    while (!stop) {
      await store.enqueue([pooledItem(count)]);
      count += 1;
      if (performance.now() - started >= minMs) stop = true;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return (count * 1000) / (performance.now() - started);
}

/**
 * @param {{ quick: boolean, log: (line: string) => void }} context
 * @returns {Promise<import('../lib/report.mjs').Row[]>}
 */
export async function run(context) {
  const minMs = context.quick ? 500 : 2000;
  const rounds = context.quick ? 2 : 5;
  const server = await importLanded('@capi-kit/server', ['memoryQueue']);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'capi-kit-bench-stores-'));
  /** @type {import('../lib/report.mjs').Row[]} */
  const rows = [];
  /** @type {{ url: string, stop: () => Promise<void> } | undefined} */
  let redis;
  /** @type {any} */
  let redisClient;
  try {
    /** @type {Record<string, () => Promise<number>>} */
    const contenders = {
      memory: async () => {
        const store = server.memoryQueue({ maxQueued: 50_000_000 });
        try {
          return await ingestRate(store, minMs);
        } finally {
          await store.close();
        }
      },
    };
    /** @type {Record<string, string>} */
    const unavailable = {};
    /** @type {string | undefined} */
    let redisNote;
    let sample = 0;
    try {
      const { sqliteQueue } = await importLanded('@capi-kit/server/sqlite', ['sqliteQueue']);
      contenders.sqlite = async () => {
        const file = path.join(tmp, `ingest-${(sample += 1)}.sqlite`);
        const store = sqliteQueue({ path: file, maxQueued: 50_000_000 });
        try {
          return await ingestRate(store, minMs);
        } finally {
          await store.close();
          await rm(file, { force: true });
          await rm(`${file}-wal`, { force: true });
          await rm(`${file}-shm`, { force: true });
        }
      };
    } catch (error) {
      if (!(error instanceof NotYetAvailable)) throw error;
      unavailable.sqlite = error.message;
    }
    try {
      const { redisQueue } = await importLanded('@capi-kit/server/redis', ['redisQueue']);
      redis = await startRedisServer();
      if (!redis) {
        // CI installs redis-server, so a missing one there is a broken machine, not "not yet".
        if (process.env.CI) throw new Error('redis-server is not installed (CI must install it)');
        unavailable.redis = 'redis-server is not installed on this machine';
      } else {
        const { default: Redis } = await import('ioredis');
        redisClient = new Redis(redis.url);
        redisClient.on('error', () => {});
        const url = redis.url;
        // The documented `{ url }` form first; if the built package cannot load ioredis itself,
        // the documented `{ client }` form still measures the store, and the row says why.
        /** @type {any} */
        let ownClient;
        /** @type {(prefix: string) => any} */
        let makeStore = (prefix) => redisQueue({ url, keyPrefix: prefix });
        try {
          await makeStore('probe:').close();
        } catch (error) {
          redisNote = `redisQueue({ url }) failed (${error instanceof Error ? error.message : String(error)}); measured with redisQueue({ client })`;
          context.log(redisNote);
          makeStore = (prefix) => {
            // A client we pass stays ours to close (the store must not close what it did not open).
            ownClient = new Redis(url);
            ownClient.on('error', () => {});
            return redisQueue({ client: ownClient, keyPrefix: prefix });
          };
        }
        contenders.redis = async () => {
          const store = makeStore(`bench${(sample += 1)}:`);
          try {
            return await ingestRate(store, minMs);
          } finally {
            await store.close();
            ownClient?.disconnect();
            ownClient = undefined;
            await redisClient.flushdb();
          }
        };
      }
    } catch (error) {
      if (!(error instanceof NotYetAvailable)) throw error;
      unavailable.redis = error.message;
    }

    /** @type {Record<string, unknown>} */
    const failures = {};
    // Warm-up, which is also where a store that does not work shows it: its row says why.
    for (const [name, contender] of Object.entries(contenders)) {
      try {
        await contender();
      } catch (error) {
        if (name === 'memory') throw error;
        failures[name] = error;
        delete contenders[name];
        context.log(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const results = await interleaved(contenders, rounds);
    for (const [name, result] of Object.entries(results)) {
      context.log(
        `${name}: ${result.samples.map((value) => Math.round(value)).join(', ')} events/s`,
      );
    }
    const memoryRate = round(results.memory.median);
    rows.push(
      makeRow({
        suite: SUITE,
        metric: 'memory store ingest',
        ours: memoryRate,
        unit: 'events/s',
      }),
    );
    for (const kind of ['sqlite', 'redis']) {
      const label = `${kind === 'sqlite' ? 'SQLite' : 'Redis'} store ingest`;
      if (failures[kind]) {
        rows.push(
          failedRow(SUITE, label, failures[kind], {
            baseline: memoryRate,
            baselineName: 'memory store',
            goal: '≥ 20 000/s',
            unit: 'events/s',
          }),
        );
      } else if (results[kind]) {
        rows.push(
          makeRow({
            suite: SUITE,
            metric: label,
            ours: round(results[kind].median),
            baseline: memoryRate,
            baselineName: 'memory store',
            goal: '≥ 20 000/s',
            pass: results[kind].median >= INGEST_GOAL,
            unit: 'events/s',
            note: kind === 'redis' ? redisNote : undefined,
          }),
        );
      } else {
        rows.push(
          unavailableRow(SUITE, label, unavailable[kind] ?? 'not measured', {
            baseline: memoryRate,
            baselineName: 'memory store',
            goal: '≥ 20 000/s',
            unit: 'events/s',
          }),
        );
      }
    }
  } finally {
    if (redisClient) redisClient.disconnect();
    if (redis) await redis.stop();
  }

  try {
    rows.push(await outage(context, tmp));
  } catch (error) {
    rows.push(
      failedRow(SUITE, 'peak RSS, SQLite relay, 1 h outage at 500 events/s', error, {
        goal: '< 256 MB',
        unit: 'MB',
      }),
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return rows;
}

/**
 * @param {{ quick: boolean, log: (line: string) => void }} context
 * @param {string} tmp
 * @returns {Promise<import('../lib/report.mjs').Row>}
 */
async function outage(context, tmp) {
  const metric = 'peak RSS, SQLite relay, 1 h outage at 500 events/s';
  const simulatedSeconds = context.quick ? 60 : 3600;
  const maxWallMs = context.quick ? 30_000 : 360_000;
  const sink = await startChild('children/meta-sink.mjs');
  let relayChild;
  try {
    relayChild = await startChild('children/outage-child.mjs', {
      args: [
        path.join(tmp, 'outage.sqlite'),
        sink.ready.url,
        String(simulatedSeconds),
        '500',
        String(maxWallMs),
        process.env.CAPI_KIT_BENCH_OUTAGE_STORE ?? 'sqlite',
      ],
    });
  } catch (error) {
    if (/** @type {{ unavailable?: boolean }} */ (error).unavailable) {
      return unavailableRow(SUITE, metric, /** @type {Error} */ (error).message, {
        goal: '< 256 MB',
        unit: 'MB',
      });
    }
    throw error;
  }
  await ask(sink.child, { type: 'outage', on: true });
  const ingest = await ask(relayChild.child, { type: 'ingest' });
  context.log(
    `outage: ${ingest.events} events over ${ingest.simulatedSeconds} simulated s in ${(ingest.wallMs / 1000).toFixed(1)} s wall; RSS ${mb(ingest.startRss)} → peak ${mb(ingest.peakRss)} MB`,
  );
  if (ingest.timeline.length > 0)
    context.log(`RSS during the outage: ${ingest.timeline.join(', ')}`);
  await ask(sink.child, { type: 'outage', on: false });
  await settle(100);
  const recovered = await ask(relayChild.child, { type: 'recover' });
  const delivered = await ask(sink.child, { type: 'counts' });
  context.log(
    `recovery: ${delivered.events} events delivered in ${delivered.requests} requests (${delivered.refused} refused during the outage); pending ${recovered.pending}, dead ${recovered.dead}, expired ${recovered.expired}; ${(recovered.wallMs / 1000).toFixed(1)} s wall`,
  );
  const uniqueShort = delivered.events < ingest.events;
  const partial = ingest.simulatedSeconds < simulatedSeconds;
  const notes = [];
  if (partial)
    notes.push(
      `stopped after ${ingest.simulatedSeconds} of ${simulatedSeconds} simulated s (wall-clock bound)`,
    );
  if (context.quick) notes.push(`quick: ${simulatedSeconds} simulated s`);
  notes.push(
    `peak during the outage ${mb(ingest.peakRss)} MB, whole run ${mb(recovered.peakRss)} MB`,
  );
  if (ingest.timeline.length > 0) {
    notes.push(`RSS by simulated time: ${ingest.timeline.join(', ')}`);
  }
  // Each refused request is one retry of a batch: the cost an outage puts on the relay.
  notes.push(`${delivered.refused} send attempts answered 503 during the outage`);
  if (uniqueShort || recovered.pending > 0) {
    notes.push(
      `${delivered.events} of ${ingest.events} delivered, ${recovered.pending} still pending`,
    );
  } else {
    notes.push(`all ${ingest.events} delivered after recovery`);
  }
  return makeRow({
    suite: SUITE,
    metric,
    ours: round(recovered.peakRss / 2 ** 20),
    baseline: round(ingest.startRss / 2 ** 20),
    baselineName: 'RSS before the outage',
    goal: '< 256 MB',
    pass:
      recovered.peakRss / 2 ** 20 < RSS_GOAL_MB &&
      !uniqueShort &&
      recovered.pending === 0 &&
      !partial,
    unit: 'MB',
    note: notes.join('; '),
  });
}

/** @param {number} bytes */
function mb(bytes) {
  return (bytes / 2 ** 20).toFixed(0);
}
