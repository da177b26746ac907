/**
 * The accept step of the collect handler: method, origin allowlist and CORS, and reading the body
 * as text under a size limit (sendBeacon posts `text/plain`, so the content type is ignored). A
 * body over the limit is refused from its `Content-Length`, or as soon as the stream passes the
 * limit, without reading the rest.
 */

/** An allowed origin: an exact origin (`https://shop.example.com`), a wildcard subdomain pattern (`https://*.example.com`), or a RegExp. */
export type OriginRule = string | RegExp;

/** A compiled allowlist. */
export type OriginCheck = (origin: string) => boolean;

/** Compiles `allowedOrigins`; `undefined` allows every origin (development only, enforced by the relay). */
export function compileOrigins(rules: readonly OriginRule[] | undefined): OriginCheck {
  if (rules === undefined) return () => true;
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const rule of rules) {
    if (rule instanceof RegExp) patterns.push(rule);
    else if (rule.includes('*')) {
      const escaped = rule
        .toLowerCase()
        .replace(/\/+$/, '')
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
        .join('[a-z0-9-]+(?:\\.[a-z0-9-]+)*');
      patterns.push(new RegExp(`^${escaped}$`));
    } else exact.add(rule.toLowerCase().replace(/\/+$/, ''));
  }
  return (origin) => exact.has(origin.toLowerCase()) || patterns.some((re) => re.test(origin));
}

/** Header lookup as `Headers.get` does it: a Web `Headers` is one. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * What the collect pipeline reads from a request. A Web `Request` is one; a Node adapter passes a
 * plain object over the `IncomingMessage` (its body in `PRE_READ_BODY`) instead of building a
 * `Request` for every beacon.
 */
export interface CollectRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderReader;
  readonly body: ReadableStream<Uint8Array> | null;
  [PRE_READ_BODY]?: Uint8Array | null;
}

/**
 * The collect pipeline's answer before it becomes a `Response` (or is written straight to a Node
 * response): header names lower-case, `Set-Cookie` values apart since each is its own header.
 */
export interface CollectReply {
  status: number;
  headers: Record<string, string>;
  setCookies?: string[];
  body?: string;
}

/**
 * The origin of the page that sent the request: the `Origin` header, else the origin of the
 * `Referer`. Browsers send `Origin` on every POST, sendBeacon included.
 */
export function requestOrigin(request: { readonly headers: HeaderReader }): string | undefined {
  const origin = request.headers.get('origin');
  if (origin && origin !== 'null') return origin;
  const referer = request.headers.get('referer');
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

/**
 * Whether the origin is the collect endpoint's own site. Hosts are compared without the scheme:
 * behind a TLS-terminating proxy the relay sees `http://` while the page is `https://`.
 */
export function isSameOrigin(origin: string, requestUrl: string): boolean {
  try {
    return new URL(origin).host.toLowerCase() === new URL(requestUrl).host.toLowerCase();
  } catch {
    return false;
  }
}

/** CORS headers for an allowed origin (credentials on: beacons carry the first-party cookies). */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  if (!origin) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    vary: 'Origin',
  };
}

/** The result of reading the body. */
export type BodyResult =
  { ok: true; text: string } | { ok: false; status: 413 | 400; message: string };

/**
 * Where a Node adapter leaves a small body it already read from the socket (the bytes, or `null`
 * when the read failed), on a body-less `Request`: building a Web stream for a 1 KB beacon and
 * reading it back costs more than the rest of the collect path. `Symbol.for`, so separately
 * bundled entries (ESM and CJS builds of the adapter and the relay) agree on it.
 */
export const PRE_READ_BODY = Symbol.for('capi-kit.preReadBody');

/**
 * Where a relay keeps its collect pipeline for the Node adapters (`CollectEntry`): they call it
 * with a plain `CollectRequest` and write the `CollectReply` themselves, skipping a Web `Request`
 * and `Response` per beacon. `Symbol.for`, like `PRE_READ_BODY`.
 */
export const COLLECT_ENTRY = Symbol.for('capi-kit.collect');

/** The value under `COLLECT_ENTRY`: the relay's own `handle` (to recognize it) and its pipeline. */
export interface CollectEntry {
  handle: (request: Request, context?: { remoteAddress?: string }) => Promise<Response>;
  collect: (request: CollectRequest, context?: { remoteAddress?: string }) => Promise<CollectReply>;
}

/** A `Request` an adapter built around a body it already read. */
export type PreReadRequest = Request & { [PRE_READ_BODY]?: Uint8Array | null };

/** Reads the body as UTF-8 text, refusing past `maxBytes` without reading the rest. */
export async function readBodyText(request: CollectRequest, maxBytes: number): Promise<BodyResult> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    return { ok: false, status: 413, message: `body larger than ${maxBytes} bytes` };
  }
  const preRead = request[PRE_READ_BODY];
  if (preRead !== undefined) {
    if (preRead === null) return { ok: false, status: 400, message: 'the body could not be read' };
    if (preRead.byteLength > maxBytes) {
      return { ok: false, status: 413, message: `body larger than ${maxBytes} bytes` };
    }
    return { ok: true, text: utf8.decode(preRead) };
  }
  if (!request.body) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, status: 413, message: `body larger than ${maxBytes} bytes` };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, status: 400, message: 'the body could not be read' };
  }
  // A beacon usually arrives as one chunk: decode it in place instead of copying it first.
  if (chunks.length === 1) return { ok: true, text: utf8.decode(chunks[0]) };
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, text: utf8.decode(bytes) };
}

// Not streaming, so one decoder serves every request (each `decode` call starts afresh).
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A JSON reply with the given headers. */
export function jsonReply(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): CollectReply {
  return {
    status,
    headers: {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    },
    body: JSON.stringify(body),
  };
}

/** A JSON response with the given headers. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return replyToResponse(jsonReply(status, body, headers));
}

/** The `Response` of a reply (each `Set-Cookie` value its own header). */
export function replyToResponse(reply: CollectReply): Response {
  const body = reply.body ?? null;
  if (reply.setCookies === undefined || reply.setCookies.length === 0) {
    return new Response(body, { status: reply.status, headers: reply.headers });
  }
  const headers = new Headers(reply.headers);
  for (const cookie of reply.setCookies) headers.append('set-cookie', cookie);
  return new Response(body, { status: reply.status, headers });
}
