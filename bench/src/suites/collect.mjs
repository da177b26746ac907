/**
 * Suite 4, collect endpoint under load: autocannon (bounded duration, loopback only, 10
 * connections) from the bench process against four servers, each in its own child process, in
 * interleaved rounds: (a) `capiMiddleware` on Express 5 vs (b) bare Express 5 + `express.json()`
 * answering 204; (c) `relay.handle` on raw `node:http` vs (d) bare `node:http`. Every request is
 * the same ~1 KB beacon with a fresh event ID (the relay drops replays of an ID, so a constant
 * body would measure the replay guard). The relay delivers to a cheap Meta sink in a third
 * process. Reported: median requests/s, median p50/p99 latency, and the server process's CPU
 * time per request (steadier than requests/s when other work shares the machine).
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { beaconBody } from '../lib/fixtures.mjs';
import { median, round, settle } from '../lib/measure.mjs';
import { ask, startChild } from '../lib/processes.mjs';
import { BEACON_HEADERS } from '../lib/relay-setup.mjs';
import { failedRow, makeRow, unavailableRow } from '../lib/report.mjs';

const SUITE = '4 collect endpoint';
const VARIANTS = /** @type {const} */ (['express-capi', 'express-bare', 'node-relay', 'node-bare']);

/**
 * @param {string} url
 * @param {number} durationSeconds
 */
async function load(url, durationSeconds) {
  const result = await autocannon({
    url: `${url}/e`,
    connections: 10,
    pipelining: 1,
    duration: durationSeconds,
    requests: [
      {
        method: 'POST',
        headers: BEACON_HEADERS,
        setupRequest: (/** @type {any} */ request) => ({
          ...request,
          body: beaconBody(randomUUID()),
        }),
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bad: result.non2xx + result.errors + result.timeouts,
    total: result.requests.total,
  };
}

/**
 * One real request before the load, so that a relay refusing our beacon fails loudly with its
 * answer instead of producing a fast table of 400s.
 * @param {string} url
 * @param {string} variant
 */
async function preflight(url, variant) {
  const response = await fetch(`${url}/e`, {
    method: 'POST',
    headers: BEACON_HEADERS,
    body: beaconBody(randomUUID()),
  });
  if (response.status < 200 || response.status >= 300) {
    const text = (await response.text()).slice(0, 500);
    throw new Error(`${variant} answered ${response.status} to a valid beacon: ${text}`);
  }
}

/**
 * @param {{ quick: boolean, log: (line: string) => void }} context
 * @returns {Promise<import('../lib/report.mjs').Row[]>}
 */
export async function run(context) {
  const duration = context.quick ? 2 : 10;
  const rounds = context.quick ? 1 : 3;
  const bodyBytes = beaconBody(randomUUID()).length;
  context.log(`beacon body ${bodyBytes} B, ${duration} s per run, ${rounds} round(s)`);
  const sink = await startChild('children/meta-sink.mjs');
  /** @type {Record<string, string>} */
  const urls = {};
  /** @type {Record<string, import('node:child_process').ChildProcess>} */
  const children = {};
  /** @type {Record<string, string>} */
  const unavailable = {};
  /** @type {Record<string, unknown>} */
  const failed = {};
  for (const variant of VARIANTS) {
    try {
      const { child, ready } = await startChild('children/collect-server.mjs', {
        args: [variant, sink.ready.url],
      });
      urls[variant] = ready.url;
      children[variant] = child;
      await preflight(ready.url, variant);
    } catch (error) {
      delete urls[variant];
      if (/** @type {{ unavailable?: boolean }} */ (error).unavailable) {
        unavailable[variant] = /** @type {Error} */ (error).message;
      } else if (variant === 'express-bare' || variant === 'node-bare') {
        throw error; // a baseline that does not run is the benchmark's own bug
      } else {
        failed[variant] = error;
      }
    }
  }
  // Warm-up (JIT, connection pools), not counted.
  for (const url of Object.values(urls)) await load(url, 1);
  /** @type {Record<string, { requestsPerSecond: number[], p50: number[], p99: number[], cpuPerRequest: number[], bad: number, total: number }>} */
  const samples = {};
  for (const variant of Object.keys(urls)) {
    samples[variant] = {
      requestsPerSecond: [],
      p50: [],
      p99: [],
      cpuPerRequest: [],
      bad: 0,
      total: 0,
    };
  }
  for (let roundIndex = 0; roundIndex < rounds; roundIndex += 1) {
    for (const [variant, url] of Object.entries(urls)) {
      await settle(context.quick ? 1000 : 1500); // let the previous server's background delivery finish
      const cpuBefore = (await ask(children[variant], { type: 'cpu' })).ms;
      const result = await load(url, duration);
      const cpuAfter = (await ask(children[variant], { type: 'cpu' })).ms;
      const sample = samples[variant];
      sample.cpuPerRequest.push(((cpuAfter - cpuBefore) * 1000) / Math.max(1, result.total));
      sample.requestsPerSecond.push(result.requestsPerSecond);
      sample.p50.push(result.p50);
      sample.p99.push(result.p99);
      sample.bad += result.bad;
      sample.total += result.total;
      context.log(
        `${variant}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, server CPU ${sample.cpuPerRequest.at(-1)?.toFixed(0)} µs/request, ${result.bad} non-2xx/errors`,
      );
    }
  }
  await settle(context.quick ? 1000 : 1500);
  const delivered = await ask(sink.child, { type: 'counts' });
  context.log(`Meta sink received ${delivered.events} events in ${delivered.requests} requests`);

  /** @param {string} variant */
  const stats = (variant) => {
    const sample = samples[variant];
    return {
      rps: median(sample.requestsPerSecond),
      p50: median(sample.p50),
      p99: median(sample.p99),
      cpu: median(sample.cpuPerRequest),
      note: sample.bad > 0 ? `${sample.bad} of ${sample.total} responses were not 2xx` : undefined,
    };
  };

  /** @type {import('../lib/report.mjs').Row[]} */
  const rows = [];
  const pairs = [
    {
      ours: 'express-capi',
      base: 'express-bare',
      label: 'Express 5 capiMiddleware',
      baseName: 'bare Express 5 + express.json()',
      goal: 0.9,
    },
    {
      ours: 'node-relay',
      base: 'node-bare',
      label: 'node:http relay.handle',
      baseName: 'bare node:http',
      goal: 0.7,
    },
  ];
  for (const pair of pairs) {
    const base = stats(pair.base);
    if (failed[pair.ours]) {
      rows.push(
        failedRow(SUITE, `${pair.label}: requests/s`, failed[pair.ours], {
          baseline: round(base.rps),
          baselineName: pair.baseName,
          goal: `≥ ${pair.goal}×`,
          unit: 'req/s',
        }),
      );
      continue;
    }
    if (!samples[pair.ours]) {
      const reason = unavailable[pair.ours] ?? 'server did not start';
      rows.push(
        unavailableRow(SUITE, `${pair.label}: requests/s`, reason, {
          baseline: round(base.rps),
          baselineName: pair.baseName,
          goal: `≥ ${pair.goal}×`,
          unit: 'req/s',
        }),
      );
      continue;
    }
    const ours = stats(pair.ours);
    rows.push(
      makeRow({
        suite: SUITE,
        metric: `${pair.label}: requests/s`,
        ours: round(ours.rps),
        baseline: round(base.rps),
        baselineName: pair.baseName,
        goal: `≥ ${pair.goal}×`,
        pass: !ours.note && ours.rps >= pair.goal * base.rps,
        unit: 'req/s',
        note: ours.note,
      }),
      makeRow({
        suite: SUITE,
        metric: `${pair.label}: p50 latency`,
        ours: ours.p50,
        baseline: base.p50,
        baselineName: pair.baseName,
        unit: 'ms',
      }),
      makeRow({
        suite: SUITE,
        metric: `${pair.label}: server CPU per request`,
        ours: round(ours.cpu),
        baseline: round(base.cpu),
        baselineName: pair.baseName,
        unit: 'µs',
        note: 'informational; includes the relay delivering in the background',
      }),
      makeRow({
        suite: SUITE,
        metric: `${pair.label}: p99 latency`,
        ours: ours.p99,
        baseline: base.p99,
        baselineName: pair.baseName,
        unit: 'ms',
      }),
    );
  }
  return rows;
}
