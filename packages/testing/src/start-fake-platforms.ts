/**
 * One real HTTP server on loopback that serves every fake ad platform under its real paths, so a
 * destination only needs `baseURL` pointed at it. It records every request, applies the fault
 * knobs (scripted responses, outage, timeout, reset, latency) before validation, and exposes two
 * helper routes: `POST /__pixel/{platform}` to record a browser pixel copy (CORS-open, for pages on
 * another localhost port) and `GET /__fake/state` for an inspector page. Nothing is ever logged.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FakePlatformState } from './fake-platform';
import type {
  FakePlatformName,
  FakePlatforms,
  RecordedRequest,
  ScriptedResponse,
  StartFakePlatformsOptions,
} from './fake-types';
import { handleDataManagerRequest } from './data-manager-fake';
import { handleGa4Request } from './ga4-fake';
import { handleLinkedinRequest } from './linkedin-fake';
import { handleMetaRequest } from './meta-fake';
import { handlePinterestRequest } from './pinterest-fake';
import { renderScriptedError } from './platform-errors';
import { isPlainObject, parseJson, type PlatformHandler } from './platform-handler';
import { handleSnapchatRequest, isSnapchatPath } from './snapchat-fake';
import { handleTiktokRequest } from './tiktok-fake';
import { handleRedditRequest } from './reddit-fake';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
/** Far above every platform's limit; only protects the test process from a runaway client. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

const HANDLERS: Record<FakePlatformName, PlatformHandler> = {
  meta: handleMetaRequest,
  ga4: handleGa4Request,
  dataManager: handleDataManagerRequest,
  tiktok: handleTiktokRequest,
  linkedin: handleLinkedinRequest,
  reddit: handleRedditRequest,
  snapchat: handleSnapchatRequest,
  pinterest: handlePinterestRequest,
};

const PIXEL_PLATFORMS: Record<string, FakePlatformName> = {
  meta: 'meta',
  ga4: 'ga4',
  tiktok: 'tiktok',
  linkedin: 'linkedin',
  snapchat: 'snapchat',
  pinterest: 'pinterest',
  datamanager: 'dataManager',
  // The gtag pixel's conversion copy pairs with the Google Ads (Data Manager) server copy.
  google: 'dataManager',
  reddit: 'reddit',
};

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '600',
};

/** Route a path to the platform that owns it, by the platforms' real URL shapes. */
function platformOf(path: string): FakePlatformName | undefined {
  if (path === '/mp/collect' || path === '/debug/mp/collect') return 'ga4';
  if (path.startsWith('/open_api/')) return 'tiktok';
  if (path.startsWith('/rest/')) return 'linkedin';
  if (path.startsWith('/api/v3/pixels/')) return 'reddit';
  // Snapchat's `/v3/{pixelId}/events` before Data Manager's `/v1/…`: both are `/v{N}/`.
  if (isSnapchatPath(path)) return 'snapchat';
  // Before Data Manager's `/v1/`: Pinterest's v5 paths also start with a bare major version.
  if (path.startsWith('/v5/ad_accounts/')) return 'pinterest';
  // Meta versions carry a minor number (`/v26.0/`); Data Manager is `/v1/`.
  if (/^\/v\d+\.\d+\//.test(path)) return 'meta';
  if (/^\/v\d+\//.test(path)) return 'dataManager';
  return undefined;
}

function flattenHeaders(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function readBody(message: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    message.on('end', () => resolve(tooLarge ? 'too_large' : Buffer.concat(chunks)));
    message.on('error', reject);
  });
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.destroyed || response.headersSent) return;
  const lowerCaseNames = Object.keys(headers).map((name) => name.toLowerCase());
  if (body === undefined || status === 204) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const contentType = lowerCaseNames.includes('content-type')
    ? {}
    : {
        'content-type':
          typeof body === 'string'
            ? 'text/plain; charset=utf-8'
            : 'application/json; charset=utf-8',
      };
  response.writeHead(status, { ...contentType, ...headers });
  response.end(text);
}

/**
 * Start the fake ad platforms on a loopback port.
 *
 * @example
 * ```ts
 * const fake = await startFakePlatforms();
 * const destination = meta({ pixelId: '1234567890', accessToken: 'token', baseURL: fake.url });
 * // … deliver events …
 * expect(fake.meta.events).toHaveLength(1);
 * await fake.close();
 * ```
 */
export async function startFakePlatforms(
  options: StartFakePlatformsOptions = {},
): Promise<FakePlatforms> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new Error(`startFakePlatforms binds to loopback only; got host "${host}".`);
  }
  const clock = options.clock ?? Date.now;
  const platforms: Record<FakePlatformName, FakePlatformState> = {
    meta: new FakePlatformState('meta', clock, 'pixel-name-id'),
    ga4: new FakePlatformState('ga4', clock, 'pixel-name-id'),
    dataManager: new FakePlatformState('dataManager', clock, 'id'),
    tiktok: new FakePlatformState('tiktok', clock, 'pixel-name-id'),
    linkedin: new FakePlatformState('linkedin', clock, 'pixel-name-id'),
    reddit: new FakePlatformState('reddit', clock, 'pixel-id'),
    snapchat: new FakePlatformState('snapchat', clock, 'pixel-id'),
    // Pinterest deduplicates on `event_id` alone (§15), and its tag ID is not the API's ad
    // account ID, so pixel hits pair by ID like Data Manager's.
    pinterest: new FakePlatformState('pinterest', clock, 'id'),
  };
  const allRequests: RecordedRequest[] = [];
  const pendingTimers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        resolve();
      }, ms);
      pendingTimers.add(timer);
    });

  async function handlePlatform(
    name: FakePlatformName,
    message: IncomingMessage,
    response: ServerResponse,
    url: URL,
    rawBody: Buffer,
  ): Promise<void> {
    const state = platforms[name];
    const bodyText = rawBody.toString('utf8');
    const parsed = bodyText === '' ? undefined : parseJson(bodyText);
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) query[key] = value;
    const receivedAt = clock();
    const record: RecordedRequest = {
      platform: name,
      method: message.method ?? 'GET',
      path: url.pathname,
      query,
      headers: flattenHeaders(message),
      body: parsed === undefined ? undefined : parsed.ok ? parsed.value : bodyText,
      bodyBytes: rawBody.length,
      testMode: false,
      receivedAt,
    };
    state.requests.push(record);
    allRequests.push(record);

    const fault = state.takeFault();
    if (fault) {
      const handled = await applyFault(fault.response, fault.source, record, message, response);
      if (handled) return;
    }

    const answer = HANDLERS[name]({
      method: record.method,
      path: record.path,
      query,
      headers: record.headers,
      bodyText,
      bodyBytes: rawBody.length,
      now: receivedAt,
      state,
    });
    record.body = answer.parsedBody;
    record.testMode = answer.testMode;
    if (answer.validationMessages) record.validationMessages = answer.validationMessages;
    record.response = { status: answer.status, body: answer.body };
    for (const event of answer.accepted ?? []) state.accept(event, receivedAt);
    send(response, answer.status, answer.body, answer.headers);
  }

  /** Apply a fault; `false` means "now validate normally" (after latency). */
  async function applyFault(
    scripted: ScriptedResponse,
    source: 'outage' | 'scripted',
    record: RecordedRequest,
    message: IncomingMessage,
    response: ServerResponse,
  ): Promise<boolean> {
    switch (scripted.kind) {
      case 'latency':
        await delay(scripted.ms);
        return response.destroyed;
      case 'timeout':
        // Leave the response open; close() destroys the socket if the client never gives up.
        record.fault = 'timeout';
        return true;
      case 'reset':
        record.fault = 'reset';
        message.socket.destroy();
        return true;
      case 'status':
        record.fault = source;
        record.response = { status: scripted.status, body: scripted.body };
        send(response, scripted.status, scripted.body, scripted.headers);
        return true;
      case 'error': {
        const error = renderScriptedError(scripted.error, scripted.message);
        record.fault = source;
        record.response = error;
        send(response, error.status, error.body, scripted.headers);
        return true;
      }
    }
  }

  function handlePixel(
    platformSegment: string,
    message: IncomingMessage,
    response: ServerResponse,
    rawBody: Buffer,
  ): void {
    const name = PIXEL_PLATFORMS[platformSegment.toLowerCase()];
    if (!name) {
      send(response, 404, { error: `unknown platform "${platformSegment}"` }, CORS_HEADERS);
      return;
    }
    if (message.method !== 'POST') {
      send(response, 405, { error: 'use POST' }, { ...CORS_HEADERS, allow: 'POST, OPTIONS' });
      return;
    }
    // Any content type: pages may post with sendBeacon, which sends text/plain.
    const parsed = parseJson(rawBody.toString('utf8'));
    const hit = parsed.ok ? parsed.value : undefined;
    if (
      !isPlainObject(hit) ||
      typeof hit.eventName !== 'string' ||
      hit.eventName === '' ||
      typeof hit.eventId !== 'string' ||
      hit.eventId === '' ||
      (hit.pixelId !== undefined && typeof hit.pixelId !== 'string')
    ) {
      send(
        response,
        400,
        { error: 'body must be JSON { pixelId?: string, eventName: string, eventId: string }' },
        CORS_HEADERS,
      );
      return;
    }
    const state = platforms[name];
    state.recordPixelHit({
      eventName: hit.eventName,
      eventId: hit.eventId,
      ...(typeof hit.pixelId === 'string' ? { pixelId: hit.pixelId } : {}),
    });
    send(
      response,
      200,
      {
        recorded: true,
        platform: name,
        verdict: state.dedupVerdict(
          hit.eventName,
          hit.eventId,
          typeof hit.pixelId === 'string' ? hit.pixelId : undefined,
        ),
      },
      CORS_HEADERS,
    );
  }

  function stateSnapshot(): unknown {
    const snapshot: Record<string, unknown> = {};
    for (const [name, state] of Object.entries(platforms)) {
      snapshot[name] = {
        requests: state.requests.length,
        events: state.events,
        dedup: state.dedupEntries(),
        stats: state.dedupStats(),
      };
    }
    return { platforms: snapshot };
  }

  const server = createServer((message, response) => {
    const url = new URL(message.url ?? '/', 'http://fake.invalid');
    const path = url.pathname;
    const isControl = path.startsWith('/__pixel/') || path === '/__fake/state';
    if (isControl && message.method === 'OPTIONS') {
      send(response, 204, undefined, CORS_HEADERS);
      message.resume();
      return;
    }
    if (path === '/__fake/state') {
      message.resume();
      send(response, 200, stateSnapshot(), CORS_HEADERS);
      return;
    }
    const platform = platformOf(path);
    if (!platform && !isControl) {
      message.resume();
      send(response, 404, { error: `no fake platform serves ${path}` });
      return;
    }
    readBody(message).then(
      async (rawBody) => {
        if (rawBody === 'too_large') {
          send(response, 413, { error: 'body too large for the fake server' });
          return;
        }
        if (isControl) {
          handlePixel(path.slice('/__pixel/'.length), message, response, rawBody);
          return;
        }
        await handlePlatform(platform!, message, response, url, rawBody);
      },
      () => message.socket.destroy(),
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host === 'localhost' ? 'localhost' : urlHost}:${address.port}`,
    meta: platforms.meta,
    ga4: platforms.ga4,
    dataManager: platforms.dataManager,
    tiktok: platforms.tiktok,
    linkedin: platforms.linkedin,
    reddit: platforms.reddit,
    snapchat: platforms.snapchat,
    pinterest: platforms.pinterest,
    requests: allRequests,
    reset() {
      allRequests.length = 0;
      for (const state of Object.values(platforms)) state.reset();
    },
    close() {
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
