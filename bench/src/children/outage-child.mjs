/**
 * Child process of suite 6's outage measure: a relay with the SQLite store, its clock injected,
 * delivering only on `flush()` (so simulated time, not the wall clock, drives retries). The parent
 * turns the Meta sink's outage on, asks this process to `ingest` (500 events per simulated second
 * through `relay.track`, a delivery attempt every 10 simulated seconds, RSS sampled every second),
 * then turns the outage off and asks it to `recover` (advance the clock and flush until nothing is
 * left). Its RSS is the relay's own: the sink runs in another process.
 */
import { canonicalEvent } from '../lib/fixtures.mjs';
import { createBenchRelay } from '../lib/relay-setup.mjs';
import { importLanded, NotYetAvailable } from '../lib/report.mjs';

const [
  databasePath,
  sinkUrl,
  simulatedSecondsArgument,
  rateArgument,
  maxWallMsArgument,
  storeKind,
] = process.argv.slice(2);
const SIMULATED_SECONDS = Number(simulatedSecondsArgument);
const RATE = Number(rateArgument);
const MAX_WALL_MS = Number(maxWallMsArgument);
const FLUSH_EVERY_SECONDS = 10;

let clock = Date.now();
let peakRss = process.memoryUsage.rss();
let tracked = 0;

function sampleRss() {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}

/** @param {any} relay */
async function pendingCount(relay) {
  const counts = await relay.queueCounts();
  let pending = 0;
  let dead = 0;
  let expired = 0;
  for (const perDestination of Object.values(counts)) {
    const typed = /** @type {import('@capi-kit/server').QueueCounts} */ (perDestination);
    pending += typed.queued + typed.inFlight + typed.retrying;
    dead += typed.dead;
    expired += typed.expired;
  }
  return { pending, dead, expired };
}

/** @param {any} relay */
async function ingest(relay) {
  const startRss = process.memoryUsage.rss();
  const started = Date.now();
  /** RSS (MB) every 5 simulated minutes, to tell a plateau from growth. */
  const timeline = [];
  let seconds = 0;
  for (; seconds < SIMULATED_SECONDS; seconds += 1) {
    if (Date.now() - started > MAX_WALL_MS) break;
    clock += 1000;
    const batch = [];
    for (let index = 0; index < RATE; index += 1) {
      batch.push(relay.track(canonicalEvent(tracked + index, clock)));
    }
    const results = await Promise.all(batch);
    tracked += RATE;
    for (const result of results) {
      // An event the relay did not queue is lost to this measure: say so, not a clean run.
      if (result?.status !== 'queued') {
        throw new Error(`relay.track did not queue an event: ${JSON.stringify(result)}`);
      }
    }
    if (seconds % FLUSH_EVERY_SECONDS === FLUSH_EVERY_SECONDS - 1) await relay.flush();
    sampleRss();
    if ((seconds + 1) % 300 === 0) {
      timeline.push(
        `${(seconds + 1) / 60} min ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MB`,
      );
    }
  }
  return {
    simulatedSeconds: seconds,
    events: tracked,
    startRss,
    peakRss,
    timeline,
    wallMs: Date.now() - started,
  };
}

/** @param {any} relay */
async function recover(relay) {
  const started = Date.now();
  // Step the clock a minute at a time for at most 24 simulated hours, flushing each step, until
  // every event is delivered or settled (dead, expired) with a reason.
  let state = await pendingCount(relay);
  for (let step = 0; step < 24 * 60 && state.pending > 0; step += 1) {
    if (Date.now() - started > MAX_WALL_MS) break;
    clock += 60_000;
    await relay.flush();
    sampleRss();
    state = await pendingCount(relay);
  }
  return { ...state, peakRss, wallMs: Date.now() - started };
}

async function main() {
  // The relay first: without it there is nothing to measure, whatever the store does.
  const server = await importLanded('@capi-kit/server', ['createRelay', 'memoryQueue']);
  // The suite always measures SQLite; `memory` (sixth argument) is for checking this harness.
  const queue =
    storeKind === 'memory'
      ? server.memoryQueue({ maxQueued: 10_000_000 })
      : (await importLanded('@capi-kit/server/sqlite', ['sqliteQueue'])).sqliteQueue({
          path: databasePath,
        });
  const relay = await createBenchRelay({
    metaBaseURL: sinkUrl,
    queue,
    now: () => clock,
    autoDeliver: false,
  });
  process.on('message', (message) => {
    const typed = /** @type {{ type: string, id: string }} */ (message);
    const work =
      typed.type === 'ingest'
        ? ingest(relay)
        : typed.type === 'recover'
          ? recover(relay)
          : undefined;
    if (!work) return;
    work.then(
      (result) => process.send?.({ id: typed.id, type: typed.type, ...result }),
      (error) =>
        process.send?.({
          id: typed.id,
          type: 'error',
          message: error instanceof Error ? error.stack : String(error),
        }),
    );
  });
  process.send?.({ type: 'ready' });
}

main().catch((error) => {
  process.send?.({
    type: error instanceof NotYetAvailable ? 'unavailable' : 'error',
    message: error instanceof Error ? error.message : String(error),
  });
});
