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

/**
 * The origin of the page that sent the request: the `Origin` header, else the origin of the
 * `Referer`. Browsers send `Origin` on every POST, sendBeacon included.
 */
export function requestOrigin(request: Request): string | undefined {
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

/** A `Request` an adapter built around a body it already read. */
export type PreReadRequest = Request & { [PRE_READ_BODY]?: Uint8Array | null };

/** Reads the body as UTF-8 text, refusing past `maxBytes` without reading the rest. */
export async function readBodyText(request: Request, maxBytes: number): Promise<BodyResult> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    return { ok: false, status: 413, message: `body larger than ${maxBytes} bytes` };
  }
  const preRead = (request as PreReadRequest)[PRE_READ_BODY];
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

/** A JSON response with the given headers. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    },
  });
}
