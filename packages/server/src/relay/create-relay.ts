/**
 * `createRelay`: wires the collect pipeline (accept → enrich → guard → prepare + enqueue → 204)
 * and the delivery loop around a queue store and a ledger. Each step lives in its own module in
 * this folder; this file only orders them and owns the relay's lifecycle.
 */
import {
  ConfigError,
  extractClickIds,
  parseCollectPayload,
  type ConversionEvent,
  type ValidationIssue,
} from '@capi-kit/core';
import { isbot } from 'isbot';
import { memoryQueue, memorySharedState } from '../queue/memory-queue';
import type { NewQueueItem, QueueStore, SharedStateStore } from '../queue/queue-store';
import {
  compileOrigins,
  COLLECT_ENTRY,
  corsHeaders,
  jsonReply,
  jsonResponse,
  readBodyText,
  replyToResponse,
  requestOrigin,
  type CollectEntry,
  type CollectReply,
  type CollectRequest,
} from './accept';
import { clientIp, compileTrustProxy, isPeerTrusted } from './client-ip';
import {
  CLICKS_COOKIE,
  CLICKS_COOKIE_MAX_AGE_SECONDS,
  clickIdsWithKept,
  cookieDomainFor,
  decideClickCookie,
  decideMetaCookies,
  parseCookieHeader,
  serializeCookie,
} from './cookies';
import { Deliverer } from './deliver';
import { enrichEvent, normalizePhones, type RequestFacts } from './enrich';
import { LedgerBook, newDelivery, type LedgerEntry } from './ledger';
import { handleLedgerRequest } from './ledger-endpoint';
import { consoleLogger } from './logger';
import { prepareEvent } from './prepare';
import type { Relay, RelayOptions, ServerEventInput, TrackResult } from './relay-types';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import { createSigner } from './signing';
import { BoundedCache } from './bounded-cache';
import { validateServerEvent } from './validate-server-event';

/** Platforms deduplicate pixel and server copies within 48 h (platforms.md §2.6, §5.4). */
const REPLAY_WINDOW_MS = 48 * 3600_000;
const DAY_S = 24 * 3600;
/** `_ck_clicks` is a query string that core's click-ID parser decodes: read it as sent. */
const RAW_COOKIES: ReadonlySet<string> = new Set([CLICKS_COOKIE]);

/**
 * Creates a relay.
 *
 * @example
 * import { createRelay } from '@capi-kit/server';
 * import { meta } from '@capi-kit/server/meta';
 * export const relay = createRelay({
 *   destinations: [meta({ pixelId: '123', accessToken: process.env.META_ACCESS_TOKEN })],
 *   allowedOrigins: ['https://shop.example.com'],
 * });
 */
export function createRelay(options: RelayOptions): Relay {
  const production = typeof process !== 'undefined' && process.env.NODE_ENV === 'production';
  validateOptions(options, production);
  const now = options.now ?? Date.now;
  const logger = options.logger ?? consoleLogger();
  const queue: QueueStore = options.queue ?? memoryQueue();
  const sharedState: SharedStateStore =
    options.sharedState ??
    (queue as { sharedState?: SharedStateStore }).sharedState ??
    memorySharedState({ now });
  const destinations = options.destinations;
  const originAllowed = compileOrigins(options.allowedOrigins);
  const trust = compileTrustProxy(options.trustProxy);
  const trustConfigured = options.trustProxy !== undefined && options.trustProxy !== false;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const cookieOptions = options.cookies ?? {};
  const cookieMaxAge = Math.round((cookieOptions.lifetimeDays ?? 390) * DAY_S);
  const rateLimit =
    options.rateLimit === false ? undefined : (options.rateLimit ?? { max: 600, windowMs: 60_000 });
  const requireSignature = new Set(options.requireSignatureFor ?? []);
  const consentPolicy = options.consentPolicy ?? {};
  const filterBots = options.filterBots !== false;
  // Per-request work whose answer depends only on a header value seen again and again (the same
  // browsers, the same page origins, the same host): computed once, remembered in small maps.
  const botVerdicts = new BoundedCache<string, boolean>(1000);
  const originHosts = new BoundedCache<string, string | null>(100);
  const requestUrls = new BoundedCache<string, URL | null>(100);
  const signer = options.signingSecret ? createSigner(options.signingSecret) : undefined;
  const ledger = new LedgerBook(options.ledgerSize ?? 1000, (error) =>
    logger.warn('a ledger listener threw', {
      error: error instanceof Error ? error.name : 'unknown',
    }),
  );
  if (options.onEvent) ledger.subscribe(options.onEvent);
  const deliverer = new Deliverer({
    queue,
    destinations,
    ledger,
    logger,
    now,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    lingerMs: options.lingerMs ?? 1000,
    maxEventsPerRequest: options.maxEventsPerRequest,
    autoDeliver: options.autoDeliver ?? true,
    sendTimeoutMs: options.sendTimeoutMs ?? 30_000,
  });
  let closing = false;
  let closed: Promise<void> | undefined;
  let refusedByQueue = 0;
  let lastRefusalLog = Number.NEGATIVE_INFINITY;

  /** Guard (replay) + prepare + enqueue for a batch of events; the ledger entries on success. */
  async function admit(
    events: readonly ConversionEvent[],
    origin: 'browser' | 'server',
  ): Promise<
    | { ok: true; results: { event: ConversionEvent; entry?: LedgerEntry }[] }
    | { ok: false; error: unknown }
  > {
    const at = now();
    const fresh: ConversionEvent[] = [];
    const replayKeys: string[] = [];
    const results: { event: ConversionEvent; entry?: LedgerEntry }[] = [];
    // Every key is asked in event order in the same tick (a store sees them in that order, so
    // a repeated ID inside one beacon is still the replay), and awaited together: one wait per
    // beacon instead of one per event.
    const keys = events.map((event) => `replay:${event.name}:${event.id}`);
    const verdicts =
      events.length === 1
        ? [await sharedState.seen(keys[0]!, REPLAY_WINDOW_MS)]
        : await Promise.all(keys.map((key) => sharedState.seen(key, REPLAY_WINDOW_MS)));
    events.forEach((event, index) => {
      if (verdicts[index]) {
        logger.debug('replay dropped', { eventId: event.id, eventName: event.name });
        results.push({ event });
        return;
      }
      replayKeys.push(keys[index]!);
      fresh.push(event);
    });
    const prepared =
      fresh.length === 1
        ? [await prepareEvent(fresh[0]!, destinations, consentPolicy, at)]
        : await Promise.all(
            fresh.map((event) => prepareEvent(event, destinations, consentPolicy, at)),
          );
    // One event (one beacon event, one track call) is the common case: its items as they are.
    let items: NewQueueItem[];
    if (prepared.length === 1) items = prepared[0]!.items;
    else {
      items = [];
      for (const one of prepared) for (const item of one.items) items.push(item);
    }
    if (items.length > 0) {
      try {
        await queue.enqueue(items);
      } catch (error) {
        // Nothing was stored: let the browser (or caller) retry, and do not let the replay guard
        // drop that retry.
        await Promise.all(replayKeys.map((key) => sharedState.forget?.(key)));
        refusedByQueue += fresh.length;
        // Counted always, logged at most every 10 s: a full queue under load would otherwise
        // flood the log with one line per beacon.
        if (at - lastRefusalLog >= 10_000) {
          lastRefusalLog = at;
          logger.warn('queue refused events', {
            count: fresh.length,
            totalRefused: refusedByQueue,
            queue: queue.kind,
            reason: error instanceof Error ? error.message : 'unknown',
          });
        }
        return { ok: false, error };
      }
    }
    const counts = new Map<string, number>();
    for (const item of items)
      counts.set(item.destinationId, (counts.get(item.destinationId) ?? 0) + 1);
    fresh.forEach((event, index) => {
      const entry: LedgerEntry = {
        eventId: event.id,
        eventName: event.name,
        origin,
        receivedAt: at,
        eventTime: event.time,
        deliveries: prepared[index]!.deliveries,
      };
      if (event.page?.url) entry.pageUrl = event.page.url;
      if (event.pixels) entry.pixels = { ...event.pixels };
      ledger.add(entry);
      results.push({ event, entry });
    });
    deliverer.enqueued(counts);
    return { ok: true, results };
  }

  function recordBotSkip(events: readonly ConversionEvent[]): void {
    const at = now();
    for (const event of events) {
      const deliveries: LedgerEntry['deliveries'] = {};
      for (const destination of destinations) {
        deliveries[destination.id] = newDelivery(
          destination.id,
          destination.platform,
          'skipped',
          at,
          'bot user agent',
        );
      }
      const entry: LedgerEntry = {
        eventId: event.id,
        eventName: event.name,
        origin: 'browser',
        receivedAt: at,
        eventTime: event.time,
        deliveries,
      };
      if (event.page?.url) entry.pageUrl = event.page.url;
      ledger.add(entry);
    }
  }

  /** Replaces signed events' data with the signed data; lists unsigned or forged ones. */
  async function applySignatures(events: ConversionEvent[]): Promise<ValidationIssue[]> {
    const issues: ValidationIssue[] = [];
    for (let index = 0; index < events.length; index++) {
      const event = events[index]!;
      const path = `events[${index}]`;
      if (event.signature !== undefined) {
        const claims = signer ? await signer.verify(event.signature) : undefined;
        if (!claims || claims.name !== event.name || claims.id !== event.id) {
          issues.push({
            path: `${path}.signature`,
            message: `invalid signature for ${event.name} event`,
          });
          continue;
        }
        const signed: ConversionEvent = { ...event };
        if (claims.data) signed.data = claims.data;
        else delete signed.data;
        delete signed.signature;
        events[index] = signed;
      } else if (requireSignature.has(event.name)) {
        issues.push({
          path: `${path}.signature`,
          message: `${event.name} events must be signed by the server`,
        });
      }
    }
    return issues;
  }

  function isBotCached(userAgent: string): boolean {
    let verdict = botVerdicts.get(userAgent);
    if (verdict === undefined) {
      verdict = isbot(userAgent);
      botVerdicts.set(userAgent, verdict);
    }
    return verdict;
  }

  /** `isSameOrigin` with the origin's host remembered (the same few origins send every beacon). */
  function sameOrigin(origin: string, url: URL): boolean {
    let host = originHosts.get(origin);
    if (host === undefined) {
      try {
        host = new URL(origin).host.toLowerCase();
      } catch {
        host = null;
      }
      originHosts.set(origin, host);
    }
    return host !== null && host === url.host.toLowerCase();
  }

  async function handle(
    request: Request,
    context: { remoteAddress?: string } = {},
  ): Promise<Response> {
    const reply = await collect(request, context);
    try {
      return replyToResponse(reply);
    } catch (error) {
      logger.error('collect handler failed', {
        error: error instanceof Error ? error.name : 'unknown',
      });
      return jsonResponse(500, { error: 'internal_error' });
    }
  }

  /**
   * The collect pipeline on any request shape: `handle` gives it the Web `Request`, a Node adapter
   * a plain object over the `IncomingMessage` (see `COLLECT_ENTRY`), and each writes the reply its
   * own way.
   */
  async function collect(
    request: CollectRequest,
    context: { remoteAddress?: string } = {},
  ): Promise<CollectReply> {
    try {
      return await handleUnsafe(request, context);
    } catch (error) {
      logger.error('collect handler failed', {
        error: error instanceof Error ? error.name : 'unknown',
      });
      return jsonReply(500, { error: 'internal_error' });
    }
  }

  /** `new URL(url)` remembered: a collect endpoint is one URL, parsed again for every beacon. */
  function parseRequestUrl(href: string): URL | undefined {
    let url = requestUrls.get(href);
    if (url === undefined) {
      try {
        url = new URL(href);
      } catch {
        url = null;
      }
      requestUrls.set(href, url);
    }
    return url ?? undefined;
  }

  async function handleUnsafe(
    request: CollectRequest,
    context: { remoteAddress?: string },
  ): Promise<CollectReply> {
    if (closing) return jsonReply(503, { error: 'shutting_down' }, { 'retry-after': '5' });
    const origin = requestOrigin(request);
    let url = parseRequestUrl(request.url);
    const allowed =
      origin !== undefined &&
      ((url !== undefined && sameOrigin(origin, url)) || originAllowed(origin));
    if (request.method === 'OPTIONS') {
      if (!allowed) return { status: 403, headers: {} };
      return {
        status: 204,
        headers: {
          ...corsHeaders(origin),
          'access-control-allow-methods': 'POST, OPTIONS',
          'access-control-allow-headers': 'content-type',
          'access-control-max-age': '86400',
        },
      };
    }
    if (request.method !== 'POST') {
      return jsonReply(405, { error: 'method_not_allowed' }, { allow: 'POST, OPTIONS' });
    }
    if (origin === undefined) {
      return jsonReply(403, { error: 'missing_origin', message: 'Origin or Referer required' });
    }
    if (!allowed) return jsonReply(403, { error: 'forbidden_origin' });
    const cors = corsHeaders(origin);

    const ip = clientIp(request.headers, context.remoteAddress, trust, trustConfigured);
    if (rateLimit && ip) {
      const hits = await sharedState.hit(`rate:${ip}`, rateLimit.windowMs);
      if (hits > rateLimit.max) {
        return jsonReply(
          429,
          { error: 'rate_limited' },
          {
            ...cors,
            'retry-after': String(Math.ceil(rateLimit.windowMs / 1000)),
          },
        );
      }
    }

    const body = await readBodyText(request, maxBodyBytes);
    if (!body.ok)
      return jsonReply(
        body.status,
        {
          error: body.status === 413 ? 'payload_too_large' : 'unreadable_body',
          message: body.message,
        },
        cors,
      );
    let json: unknown;
    try {
      json = JSON.parse(body.text);
    } catch {
      return jsonReply(
        400,
        { error: 'invalid_json', errors: [{ path: '', message: 'body is not valid JSON' }] },
        cors,
      );
    }
    const at = now();
    const parsed = parseCollectPayload(json, { now: at });
    if (!parsed.ok)
      return jsonReply(400, { error: 'invalid_payload', errors: parsed.errors }, cors);
    const events = [...parsed.events];
    const signatureIssues = await applySignatures(events);
    if (signatureIssues.length > 0) {
      return jsonReply(400, { error: 'invalid_payload', errors: signatureIssues }, cors);
    }
    if (events.length === 0) return { status: 204, headers: cors };

    const userAgent = request.headers.get('user-agent') ?? undefined;
    if (filterBots && userAgent && isBotCached(userAgent)) {
      recordBotSkip(events);
      return { status: 204, headers: cors };
    }
    url ??= new URL(request.url);
    const forwardedProto = isPeerTrusted(context.remoteAddress, trust, trustConfigured)
      ? request.headers.get('x-forwarded-proto')
      : null;
    const secure =
      (forwardedProto?.split(',')[0]?.trim() ?? url.protocol.replace(':', '')) === 'https';
    const domain = cookieDomainFor(url.hostname, cookieOptions.domain);
    const cookies = parseCookieHeader(request.headers.get('cookie'), RAW_COOKIES);
    // Minting a browser ID is storing an ad identifier: not when the person refused ad storage.
    const mayWrite = !events.some((event) => event.consent?.adStorage === 'denied');
    // Click IDs of each page URL, read once: the fbclid decides `_fbc`, the rest go on the event
    // and into `_ck_clicks`, which lends them to later pages' events whose URL has none.
    const clicks = events.map((event) => extractClickIds(event.page?.url));
    const fbclid = clicks.find((ids) => ids.fbclid)?.fbclid;
    const metaCookies = decideMetaCookies({
      cookies,
      fbclid,
      host: url.hostname,
      domain,
      now: at,
      mayWrite,
      options: cookieOptions,
    });
    const clickCookie = decideClickCookie({
      cookie: cookies.get(CLICKS_COOKIE),
      events,
      clicks,
      mayWrite,
      options: cookieOptions,
    });
    const facts: RequestFacts = { ip, userAgent, cookies, meta: metaCookies };
    const enriched = events.map((event, index) =>
      enrichEvent(
        event,
        facts,
        options.defaultCountry,
        clickIdsWithKept(clicks[index]!, clickCookie.kept, event.consent?.adStorage === 'denied'),
      ),
    );

    const admitted = await admit(enriched, 'browser');
    if (!admitted.ok) {
      return jsonReply(503, { error: 'queue_unavailable' }, { ...cors, 'retry-after': '30' });
    }
    if (metaCookies.set.length === 0 && clickCookie.set === undefined) {
      return { status: 204, headers: cors };
    }
    const setCookies: string[] = [];
    for (const cookie of metaCookies.set) {
      setCookies.push(
        serializeCookie(cookie.name, cookie.value, { domain, maxAgeSeconds: cookieMaxAge, secure }),
      );
    }
    if (clickCookie.set !== undefined) {
      // HttpOnly: only the relay reads the kept clicks now, so page scripts need not see them.
      setCookies.push(
        serializeCookie(CLICKS_COOKIE, clickCookie.set, {
          domain,
          maxAgeSeconds: CLICKS_COOKIE_MAX_AGE_SECONDS,
          secure,
          httpOnly: true,
        }),
      );
    }
    return { status: 204, headers: cors, setCookies };
  }

  async function track(input: ServerEventInput): Promise<TrackResult> {
    if (closing) throw new ConfigError('relay.track() called after relay.close()');
    const event = validateServerEvent(input, now());
    if (event.user) {
      const user = { ...event.user };
      normalizePhones(user, options.defaultCountry);
      event.user = user;
    }
    const admitted = await admit([event], 'server');
    if (!admitted.ok) throw admitted.error;
    const entry = admitted.results[0]?.entry;
    if (!entry) return { eventId: event.id, status: 'duplicate', deliveries: {} };
    const deliveries: TrackResult['deliveries'] = {};
    let queued = false;
    for (const [id, delivery] of Object.entries(entry.deliveries)) {
      if (delivery.state === 'queued') {
        queued = true;
        deliveries[id] = { state: 'queued' };
      } else {
        deliveries[id] = { state: 'skipped', reason: delivery.reason ?? delivery.state };
      }
    }
    return { eventId: event.id, status: queued ? 'queued' : 'skipped', deliveries };
  }

  const relay: Relay = {
    handle,
    track,
    flush: () => deliverer.flush(),
    close() {
      closed ??= (async () => {
        closing = true;
        await deliverer.close();
        await deliverer.flush();
        // What is still waiting (a retry time not yet come) survives only in a durable store: say
        // so rather than lose it silently.
        const left = Object.entries(await queue.counts().catch(() => ({})))
          .map(([destinationId, counts]) => ({
            destinationId,
            count: counts.queued + counts.retrying + counts.inFlight,
          }))
          .filter((one) => one.count > 0);
        if (left.length > 0) {
          const message =
            queue.kind === 'memory'
              ? 'relay closed with undelivered events in the memory queue; they are lost'
              : 'relay closed with undelivered events; they stay in the store for the next start';
          logger.warn(message, { queue: queue.kind, destinations: left });
        }
        await queue.close();
      })();
      return closed;
    },
    async sign(claims) {
      if (!signer) throw new ConfigError('relay.sign() needs the `signingSecret` option');
      return signer.sign(claims);
    },
    ledger,
    queueCounts: () => queue.counts(),
    handleLedger: (request) =>
      handleLedgerRequest(request, {
        setting: options.ledgerEndpoint,
        production,
        ledger,
        counts: () => queue.counts(),
      }),
  };
  // For the Node adapters: the pipeline without a Web `Request`/`Response` per beacon. Not
  // enumerable, so a wrapper made by spreading the relay (`{ ...relay, handle }`) does not carry
  // it, and the adapters use it only while `relay.handle` is still this relay's own.
  const entry: CollectEntry = { handle, collect };
  Object.defineProperty(relay, COLLECT_ENTRY, { value: entry });
  return relay;
}

function validateOptions(options: RelayOptions, production: boolean): void {
  if (!options || !Array.isArray(options.destinations)) {
    throw new ConfigError('createRelay(): `destinations` must be an array of destinations');
  }
  const ids = new Set<string>();
  for (const destination of options.destinations) {
    if (ids.has(destination.id)) {
      throw new ConfigError(
        `createRelay(): two destinations share the id "${destination.id}"; pass \`id\` (e.g. "meta:123") to one of them`,
      );
    }
    ids.add(destination.id);
  }
  if (production && !options.allowedOrigins) {
    throw new ConfigError(
      'createRelay(): `allowedOrigins` is required in production (the page origins allowed to send beacons)',
    );
  }
  if (options.signingSecret !== undefined && options.signingSecret.length < 32) {
    throw new ConfigError('createRelay(): `signingSecret` must be at least 32 characters');
  }
  if (options.requireSignatureFor?.length && !options.signingSecret) {
    throw new ConfigError('createRelay(): `requireSignatureFor` needs `signingSecret`');
  }
}
