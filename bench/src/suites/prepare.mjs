/**
 * Suite 3, server prepare throughput: canonical events → the serialized Meta request (seven hashed
 * fields, IP, UA, fbc, fbp, value, currency), on one core, in batches of 100 events per request
 * for every contender. Compared in the same run with:
 * - facebook-nodejs-business-sdk building the same events (UserData/CustomData/ServerEvent,
 *   `EventRequest.execute()`) with its HTTP service replaced by one that only serializes the
 *   params: nothing is sent, no network;
 * - a floor: seven one-shot `node:crypto` hashes of trimmed, lowercased values plus
 *   `JSON.stringify` of the request, the least any correct implementation must do.
 * Ours is `doPrepare` per event then `doSend` per batch with an injected `fetch` that keeps the
 * body and answers like Meta, so our whole path up to the socket is counted. The WebCrypto-only
 * mode is the same destination bundled without the `node` export condition (what edge runtimes
 * get), so its cost is visible next to the node:crypto one.
 *
 * Rates are per second of this process's CPU time (all of it runs in this process, nothing waits
 * on I/O), so other work on the shared machine does not move the numbers much.
 */
import crypto from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { ACCESS_TOKEN, canonicalEvents, PIXEL_ID } from '../lib/fixtures.mjs';
import { interleaved, opsPerSecond, round } from '../lib/measure.mjs';
import {
  failedRow,
  importLanded,
  makeRow,
  NotYetAvailable,
  unavailableRow,
} from '../lib/report.mjs';

const SUITE = '3 server prepare';
const BATCH = 100;
const require = createRequire(import.meta.url);
const benchDir = fileURLToPath(new URL('../..', import.meta.url));

const META_OK = JSON.stringify({ events_received: BATCH, messages: [], fbtrace_id: 'AbCdEf' });

/** A fetch that keeps the request body and answers like Meta; nothing leaves the process. */
async function capturingFetch(_url, init) {
  capturingFetch.lastBodyLength = String(init?.body ?? '').length;
  return new Response(META_OK, { status: 200, headers: { 'content-type': 'application/json' } });
}
capturingFetch.lastBodyLength = 0;

/**
 * Our path: `doPrepare` for each event, then `doSend` of the batch.
 * @param {any} destination
 * @param {any[]} events
 */
function oursOperation(destination, events) {
  const signal = new AbortController().signal;
  let cursor = 0;
  return async () => {
    const batch = [];
    for (let index = 0; index < BATCH; index += 1) {
      const event = events[cursor];
      cursor = (cursor + 1) % events.length;
      const prepared = await destination.doPrepare(event);
      if (prepared.kind !== 'ready') throw new Error(`prepare skipped: ${prepared.reason}`);
      batch.push({
        eventId: event.id,
        eventName: event.name,
        eventTime: event.time,
        payload: prepared.payload,
      });
    }
    await destination.doSend(batch, { signal });
  };
}

/**
 * The SDK's path for the same events, its HTTP layer captured.
 * @param {any[]} events
 */
function sdkOperation(events) {
  const sdk = require('facebook-nodejs-business-sdk');
  const { UserData, CustomData, ServerEvent, EventRequest } = sdk;
  let lastBodyLength = 0;
  const capturedHttp = {
    // HttpServiceInterface: serialize what would go on the wire, send nothing.
    executeRequest(_url, _method, _headers, params) {
      lastBodyLength = JSON.stringify(params).length;
      return Promise.resolve({ events_received: params.data.length, messages: [] });
    },
  };
  let cursor = 0;
  const operation = async () => {
    const serverEvents = [];
    for (let index = 0; index < BATCH; index += 1) {
      const event = events[cursor];
      cursor = (cursor + 1) % events.length;
      const user = event.user;
      const userData = new UserData()
        .setEmails([user.email])
        .setPhones([user.phone])
        .setFirstNames([user.firstName])
        .setLastNames([user.lastName])
        .setCities([user.city])
        .setZips([user.zip])
        .setCountries([user.country])
        .setClientIpAddress(user.ip)
        .setClientUserAgent(user.userAgent)
        .setFbc(user.fbc)
        .setFbp(user.fbp);
      const customData = new CustomData()
        .setValue(event.data.value)
        .setCurrency(event.data.currency.toLowerCase());
      serverEvents.push(
        new ServerEvent()
          .setEventName(event.name)
          .setEventTime(Math.floor(event.time / 1000))
          .setEventId(event.id)
          .setEventSourceUrl(event.page.url)
          .setActionSource('website')
          .setUserData(userData)
          .setCustomData(customData),
      );
    }
    const request = new EventRequest(
      ACCESS_TOKEN,
      PIXEL_ID,
      serverEvents,
      null,
      null,
      null,
      null,
      null,
      null,
      false,
      capturedHttp,
    );
    await request.execute();
  };
  return { operation, bodyLength: () => lastBodyLength };
}

/**
 * The floor: trim + lowercase, one-shot SHA-256 per field, one JSON.stringify per request.
 * @param {any[]} events
 */
function floorOperation(events) {
  // crypto.hash (one-shot, Node ≥ 20.12) skips the Hash object; createHash is the fallback.
  const hash =
    typeof crypto.hash === 'function'
      ? (/** @type {string} */ text) => crypto.hash('sha256', text, 'hex')
      : (/** @type {string} */ text) => crypto.createHash('sha256').update(text).digest('hex');
  /** @param {string} text */
  const hashed = (text) => [hash(text.trim().toLowerCase())];
  let cursor = 0;
  let lastBodyLength = 0;
  const operation = () => {
    const data = [];
    for (let index = 0; index < BATCH; index += 1) {
      const event = events[cursor];
      cursor = (cursor + 1) % events.length;
      const user = event.user;
      data.push({
        event_name: event.name,
        event_time: Math.floor(event.time / 1000),
        event_id: event.id,
        action_source: 'website',
        event_source_url: event.page.url,
        user_data: {
          em: hashed(user.email),
          ph: hashed(user.phone.replace(/\D/g, '')),
          fn: hashed(user.firstName),
          ln: hashed(user.lastName),
          ct: hashed(user.city),
          zp: hashed(user.zip),
          country: hashed(user.country),
          client_ip_address: user.ip,
          client_user_agent: user.userAgent,
          fbc: user.fbc,
          fbp: user.fbp,
        },
        custom_data: { value: event.data.value, currency: event.data.currency },
      });
    }
    lastBodyLength = JSON.stringify({ data, partner_agent: 'floor' }).length;
  };
  return { operation, bodyLength: () => lastBodyLength };
}

/**
 * Our Meta destination bundled for a runtime without the `node` condition: core's `#sha256`
 * then resolves to its WebCrypto implementation, as on Workers or Vercel Edge.
 * @returns {Promise<any>}
 */
async function loadWebCryptoMeta() {
  const outfile = path.join(
    benchDir,
    'node_modules',
    '.cache',
    'capi-kit-bench',
    'prepare',
    'meta-webcrypto.mjs',
  );
  await mkdir(path.dirname(outfile), { recursive: true });
  await esbuild.build({
    stdin: {
      contents: "export { meta } from '@capi-kit/server/meta';",
      resolveDir: benchDir,
      loader: 'js',
    },
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    mainFields: ['module', 'main'],
    conditions: ['worker', 'edge-light'],
    external: ['node:*'],
    outfile,
    logLevel: 'silent',
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

/**
 * @param {{ quick: boolean, log: (line: string) => void }} context
 * @returns {Promise<import('../lib/report.mjs').Row[]>}
 */
export async function run(context) {
  const events = canonicalEvents(2000);
  const minMs = context.quick ? 300 : 1500;
  const rounds = context.quick ? 3 : 5;
  const sdk = sdkOperation(events);
  const floor = floorOperation(events);

  /** @type {Record<string, () => Promise<number>>} */
  const contenders = {
    sdk: async () => BATCH * (await opsPerSecond(sdk.operation, { minMs, clock: 'cpu' })),
    floor: async () => BATCH * (await opsPerSecond(floor.operation, { minMs, clock: 'cpu' })),
  };
  /** @type {string | undefined} */
  let unavailable;
  /** @type {unknown} */
  let failure;
  try {
    const { meta } = await importLanded('@capi-kit/server/meta', ['meta']);
    const settings = { pixelId: PIXEL_ID, accessToken: ACCESS_TOKEN, fetch: capturingFetch };
    const ours = oursOperation(meta(settings), events);
    await ours(); // fails loudly here, not mid-measure, if a fixture event is skipped
    contenders.ours = async () => BATCH * (await opsPerSecond(ours, { minMs, clock: 'cpu' }));
    try {
      const webMeta = await loadWebCryptoMeta();
      const oursWeb = oursOperation(webMeta.meta(settings), events);
      await oursWeb();
      contenders.oursWebCrypto = async () =>
        BATCH * (await opsPerSecond(oursWeb, { minMs, clock: 'cpu' }));
    } catch (error) {
      context.log(`WebCrypto-only build failed: ${String(error).split('\n')[0]}`);
    }
  } catch (error) {
    if (error instanceof NotYetAvailable) unavailable = error.message;
    else failure = error;
  }

  // Warm-up round (JIT), not counted.
  for (const sample of Object.values(contenders)) await sample();
  const results = await interleaved(contenders, rounds);
  for (const [name, result] of Object.entries(results)) {
    context.log(`${name}: ${result.samples.map((value) => Math.round(value)).join(', ')} events/s`);
  }
  context.log(
    `request bytes per ${BATCH} events: ours ${capturingFetch.lastBodyLength}, sdk ${sdk.bodyLength()}, floor ${floor.bodyLength()}`,
  );

  const sdkName = 'facebook-nodejs-business-sdk';
  const floorName = 'node:crypto one-shot floor';
  const sdkRate = round(results.sdk.median);
  const floorRate = round(results.floor.median);
  if (failure) {
    return [
      failedRow(SUITE, 'prepare events/s vs SDK', failure, {
        baseline: sdkRate,
        baselineName: sdkName,
        goal: '≥ 2.5×',
        unit: 'events/s',
      }),
      failedRow(SUITE, 'prepare events/s vs floor', failure, {
        baseline: floorRate,
        baselineName: floorName,
        goal: '≥ 0.8×',
        unit: 'events/s',
      }),
    ];
  }
  if (unavailable || !results.ours) {
    return [
      unavailableRow(SUITE, 'prepare events/s vs SDK', unavailable ?? 'no measure', {
        baseline: sdkRate,
        baselineName: sdkName,
        goal: '≥ 2.5×',
        unit: 'events/s',
      }),
      unavailableRow(SUITE, 'prepare events/s vs floor', unavailable ?? 'no measure', {
        baseline: floorRate,
        baselineName: floorName,
        goal: '≥ 0.8×',
        unit: 'events/s',
      }),
    ];
  }
  const ours = round(results.ours.median);
  const rows = [
    makeRow({
      suite: SUITE,
      metric: 'prepare events/s vs SDK',
      ours,
      baseline: sdkRate,
      baselineName: sdkName,
      goal: '≥ 2.5×',
      pass: results.ours.median >= 2.5 * results.sdk.median,
      unit: 'events/s',
    }),
    makeRow({
      suite: SUITE,
      metric: 'prepare events/s vs floor',
      ours,
      baseline: floorRate,
      baselineName: floorName,
      goal: '≥ 0.8×',
      pass: results.ours.median >= 0.8 * results.floor.median,
      unit: 'events/s',
    }),
  ];
  if (results.oursWebCrypto) {
    rows.push(
      makeRow({
        suite: SUITE,
        metric: 'WebCrypto-only (edge) events/s vs node:crypto mode',
        ours: round(results.oursWebCrypto.median),
        baseline: ours,
        baselineName: 'ours, node:crypto',
        unit: 'events/s',
        note: 'informational',
      }),
    );
  } else {
    rows.push(
      unavailableRow(
        SUITE,
        'WebCrypto-only (edge) events/s',
        'the neutral-condition bundle did not build',
        {
          unit: 'events/s',
        },
      ),
    );
  }
  return rows;
}
