#!/usr/bin/env node
/**
 * `pnpm bench [--quick] [--only=1,3] [--no-build]`: runs the benchmark suites of issue 8 one after the other,
 * prints one table, and writes `bench/results/latest.json` plus `BENCHMARKS.md` (a full run) or
 * `bench/results/quick.json` (a quick run, so a CI smoke run never overwrites the committed
 * numbers). A suite whose capi-kit code has not landed reports "not yet available"; capi-kit code
 * that is there but fails (throws, refuses a valid beacon) gives a "failed:" row. Only a suite
 * that crashes (the benchmark itself broke) makes the exit code non-zero: ratios and failed rows
 * are for people to judge in the table, not for CI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { markdownTable, makeRow, NotYetAvailable, unavailableRow } from './lib/report.mjs';
import { stopAllChildren } from './lib/processes.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const skipBuild = args.includes('--no-build');
const onlyArgument = args.find((argument) => argument.startsWith('--only='));
const only = onlyArgument ? new Set(onlyArgument.slice('--only='.length).split(',')) : undefined;

const SUITES = [
  { id: '1', name: '1 browser bytes', module: './suites/browser-bytes.mjs' },
  { id: '2', name: '2 track() cost', module: './suites/track-cost.mjs' },
  { id: '3', name: '3 server prepare', module: './suites/prepare.mjs' },
  { id: '4', name: '4 collect endpoint', module: './suites/collect.mjs' },
  { id: '5', name: '5 outbound requests', module: './suites/outbound.mjs' },
  { id: '6', name: '6 queue stores', module: './suites/stores.mjs' },
];

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));

// A hung suite must not hold CI for its whole time budget: past this, the run is a crash.
const watchdog = setTimeout(
  () => {
    console.error(`bench: still running after ${quick ? 5 : 30} minutes; giving up`);
    void stopAllChildren().finally(() => process.exit(1));
  },
  (quick ? 5 : 30) * 60_000,
);
watchdog.unref();

/** @type {import('./lib/report.mjs').Row[]} */
const rows = [];
let crashed = 0;
const started = performance.now();

// The suites import the packages' built dist/, so build them first. A package that does not
// build (someone's half-landed work) must not stop the other suites: its suites then find no
// export and say "not yet available", and the failure is printed here and noted in the report.
const checkout = describeCheckout();
let buildFailed = false;
if (!skipBuild) {
  console.log('== building packages (turbo run build --filter=./packages/*)');
  const turbo = fileURLToPath(new URL('../node_modules/.bin/turbo', import.meta.url));
  const build = spawnSync(
    turbo,
    ['run', 'build', '--filter=./packages/*', '--continue', '--output-logs=errors-only'],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  buildFailed = build.status !== 0;
  if (buildFailed) {
    console.log(
      '   WARNING: some packages failed to build; their suites use whatever dist/ exists',
    );
  }
}

for (const suite of SUITES) {
  if (only && !only.has(suite.id)) continue;
  const suiteStart = performance.now();
  console.log(`\n== ${suite.name}${quick ? ' (quick)' : ''}`);
  try {
    const { run } = await import(suite.module);
    const suiteRows = await run({
      quick,
      log: (/** @type {string} */ line) => console.log(`   ${line}`),
    });
    rows.push(...suiteRows);
  } catch (error) {
    if (error instanceof NotYetAvailable) {
      console.log(`   not yet available: ${error.message}`);
      rows.push(unavailableRow(suite.name, 'whole suite', error.message));
    } else {
      crashed += 1;
      console.error(
        `   CRASHED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      rows.push(
        makeRow({
          suite: suite.name,
          metric: 'whole suite',
          ours: null,
          unit: '',
          note: `crashed: ${error instanceof Error ? error.message : String(error)}`,
        }),
      );
    }
  } finally {
    await stopAllChildren();
  }
  console.log(`   (${((performance.now() - suiteStart) / 1000).toFixed(1)} s)`);
}

const table = markdownTable(rows);
console.log(`\n${table}\n`);
const seconds = (performance.now() - started) / 1000;
console.log(
  `${rows.length} rows in ${seconds.toFixed(0)} s${crashed ? `, ${crashed} suite(s) crashed` : ''}`,
);

await mkdir(resultsDir, { recursive: true });
const json = `${JSON.stringify(rows, null, 2)}\n`;
if (quick || only) {
  await writeFile(new URL('../results/quick.json', import.meta.url), json);
} else {
  await writeFile(new URL('../results/latest.json', import.meta.url), json);
  await writeFile(
    new URL('BENCHMARKS.md', `file://${repoRoot}`),
    benchmarksMarkdown(table, seconds, summary(rows)),
  );
  console.log('wrote bench/results/latest.json and BENCHMARKS.md');
}
clearTimeout(watchdog);
process.exitCode = crashed ? 1 : 0;

/**
 * The commit the packages are built from, taken before the build; in a shared work tree the
 * packages may also hold work not yet committed, and then the report says so.
 * @returns {string}
 */
function describeCheckout() {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot })
      .toString()
      .trim();
    // The packages are built from the work tree, which in a shared tree may hold work not yet
    // committed: say so rather than let the commit stand for what was measured.
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages'], {
      cwd: repoRoot,
    })
      .toString()
      .trim();
    if (dirty) commit += ' (packages/ built from a work tree with uncommitted changes)';
  } catch {
    // Not a git checkout: the commit is only informative.
  }
  return commit;
}

/**
 * The goals this run did not meet and the parts it could not measure, for the top of the report.
 * @param {import('./lib/report.mjs').Row[]} allRows
 * @returns {string}
 */
function summary(allRows) {
  const lines = [];
  const missed = allRows.filter((row) => row.pass === false);
  const notYet = allRows.filter((row) => row.note?.startsWith('not yet available'));
  const met = allRows.filter((row) => row.pass === true);
  lines.push(
    `Goals met: ${met.length}; missed or failed: ${missed.length}; not yet measurable: ${notYet.length}.`,
  );
  if (missed.length > 0) {
    lines.push('', 'Missed or failed in this run:', '');
    for (const row of missed) {
      const detail =
        row.ours === null
          ? (row.note ?? '')
          : `${row.ours} ${row.unit}${row.ratio !== null ? ` (${row.ratio}× ${row.baselineName})` : ''}`;
      lines.push(
        `- ${row.suite} / ${row.metric}: ${detail.replaceAll('\n', ' ')} — goal ${row.goal}`,
      );
    }
  }
  if (notYet.length > 0) {
    lines.push('', 'Not yet available when this ran:', '');
    for (const row of notYet)
      lines.push(
        `- ${row.suite} / ${row.metric}: ${row.note?.slice('not yet available: '.length)}`,
      );
  }
  return lines.join('\n');
}

/**
 * @param {string} markdown
 * @param {number} runSeconds
 * @param {string} summaryText
 * @returns {string}
 */
function benchmarksMarkdown(markdown, runSeconds, summaryText) {
  const cpus = os.cpus();
  return `# Benchmarks

capi-kit measured side by side with the tools people would otherwise pick, in the same run on the
same machine (issue 8). Shared machines are noisy: every timed number is the median of several
interleaved runs, and the ratio (ours ÷ baseline, both from this run) is what to read, not the
absolute figure. Nothing here is a test: CI runs \`pnpm bench --quick\` and fails only if a suite
crashes. Rows saying "not yet available" belong to parts that had not landed when this ran.

## This run

| | |
|---|---|
| date | ${new Date().toISOString()} |
| commit | ${checkout} |
| machine | ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores (shared), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()} |
| Node.js | ${process.version} |
| duration | ${runSeconds.toFixed(0)} s |
${buildFailed ? '| build | some packages failed to build in this checkout; their suites used the dist/ that existed |\n' : ''}
${summaryText}

${markdown}

Lower is better for bytes, µs and latency; higher is better for events/s and requests/s. The
ratio is always ours ÷ baseline.

## What each suite measures

1. **Browser bytes**: each contender is an entry file bundled the same way with esbuild 0.25
   (bundle, minify, ESM, code splitting, browser platform), doing one conversion as its README
   shows; the size is the sum of every chunk the bundler emits for it (lazy ones too: Segment's
   \`load()\` fetches its lazy core at once), each gzipped (level 9) and brotli'd (quality 11) on its
   own; the initial chunks alone are in the note. Code a peer downloads from its CDN at run time is
   in no bundle and not counted (that flatters the peer, never us). Our \`<script>\` IIFE is measured
   as shipped (\`packages/browser/dist/capi-kit.js\`), our ESM import from the published \`dist/\`.
   Budgets: 1 KB = 1024 B. The hand-written floor (\`bench/src/fixtures/floor.js\`) is the least code
   doing the same job for one pixel. Peers are compared with our minimal ESM import
   (\`createTracker\` + \`metaPixel\`).
2. **track() cost**: µs per call on the main thread in happy-dom with the pixel globals stubbed
   (\`fbq\`, \`sendBeacon\`, \`fetch\`), including the batched beacon work the call schedules, vs
   walkerOS's \`elb\` push with a destination that calls the same stubbed \`fbq\`. Measured in CPU
   time of the process (everything runs on its one thread), so a busy shared machine does not
   inflate it.
3. **Server prepare**: canonical event → serialized Meta request (7 hashed fields, IP, UA, fbc, fbp,
   value, currency), one core, vs facebook-nodejs-business-sdk building the same events with its HTTP
   service replaced by one that only serializes (nothing is sent), and vs a floor of 7 one-shot
   \`node:crypto\` hashes + \`JSON.stringify\`. Rates are per second of CPU time of the (single
   threaded) bench process, batches of 100 events per request for every contender. WebCrypto-only mode is our Meta destination bundled
   without the \`node\` export condition (what an edge runtime gets).
4. **Collect endpoint**: autocannon (10 connections, 10 s per run, 3 interleaved rounds) on
   loopback against servers each in its own child process: (a) \`capiMiddleware\` on Express 5, (b)
   bare Express 5 with \`express.json()\` (told to parse \`text/plain\`) answering 204, (c)
   \`relay.handle\` on raw \`node:http\` (with a minimal \`IncomingMessage\` → \`Request\` conversion:
   the server package does not export its own), (d) bare \`node:http\` parsing the JSON and answering
   204. The same ~1 KB beacon (\`text/plain\`, as \`sendBeacon\` sends it) with a fresh event ID per
   request; the relay (memory queue, rate limiter off) delivers to a counting Meta sink in another
   process. The server's CPU time per request is reported too (steadier than requests/s on a shared
   machine; for the relay it includes its background delivery).
5. **Outbound efficiency**: HTTP requests that reach the \`@capi-kit/testing\` fakes (which validate
   like the real APIs) per 1 000 events posted to a relay with the Meta and GA4 destinations, in
   100 beacons of 10 events from 10 browsers (10 \`_ga\` client IDs), then \`relay.close()\`. Meta
   takes 1 000 events per request (goal 1); GA4 takes 25 events of one client per request, so 10
   clients × 100 events is 40 requests at best (goal 40).
6. **Queue stores**: ingest (events/s enqueued by 64 concurrent single-event \`enqueue\` calls, as
   concurrent collect requests make them; a fresh store per sample, prepared ~0.8 KB payloads) for
   memory, SQLite (a temp file) and Redis (a \`redis-server\` started on a free loopback port with
   persistence off, stopped afterwards). Outage: a relay process with the SQLite store and an
   injected clock takes 500 events/s through \`relay.track\` while the Meta sink answers 503, with a
   delivery pass every 10 simulated seconds; RSS is sampled every simulated second (timeline every
   5 simulated minutes), then the sink recovers and the clock steps until nothing is pending. The
   simulated hour is bounded to 6 minutes of wall time; a run that stops short says how far it got.

## Reproduce

\`\`\`sh
pnpm install
pnpm bench            # full run: writes BENCHMARKS.md and bench/results/latest.json
pnpm bench --quick    # < 2 minutes, writes bench/results/quick.json only
pnpm bench --only=1,3 # some suites only (writes quick.json)
\`\`\`

\`pnpm bench\` builds the packages first (\`turbo run build --filter=./packages/*\`) and imports their
built \`dist/\` output. Suite 6 needs \`redis-server\` on PATH (\`apt-get install redis-server\`).
`;
}
