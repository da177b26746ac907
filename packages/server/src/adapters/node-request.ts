/**
 * The one conversion between Node's `http` objects and Web `Request`/`Response`, shared by every
 * Node adapter (Express today; Fastify or plain `http` the same way). It passes the socket
 * address, streams the body without buffering it (so the relay can refuse an oversized body
 * without reading it all), and copes with a body a framework parser already consumed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  PRE_READ_BODY,
  type CollectReply,
  type CollectRequest,
  type HeaderReader,
  type PreReadRequest,
} from '../relay/accept';

/**
 * Bodies declared at most this long are read from the socket before the `Request` is built (the
 * relay's own limit still applies to them); longer or undeclared (chunked) ones are streamed, so
 * the relay can refuse them without reading them all.
 */
const PRE_READ_MAX_BYTES = 64 * 1024;

/** A Node request, possibly decorated by a framework (`body`, `originalUrl`). */
export type NodeRequestLike = IncomingMessage & { body?: unknown; originalUrl?: string };

/**
 * Builds a Web `Request` from a Node request. When a body parser already read the stream
 * (`express.json()`, `express.text()`), the parsed body is re-serialized: a string or Buffer as
 * is, anything else as JSON.
 */
export function toWebRequest(request: NodeRequestLike): Request {
  const encrypted = (request.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const host = request.headers.host ?? 'localhost';
  const url = `${encrypted ? 'https' : 'http'}://${host}${request.originalUrl ?? request.url ?? '/'}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else headers.set(name, value);
  }
  const method = request.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });
  let body: RequestInit['body'];
  // Decide by the stream, not by `req.body`: Express 4's body-parser sets `req.body = {}` even
  // when it skips a content type it does not handle (a `text/plain` beacon under `express.json()`),
  // leaving the stream unread; Express 5 leaves `req.body` undefined then.
  if (!request.readableEnded) {
    body = streamBody(request);
  } else {
    const parsed = request.body;
    if (parsed === undefined || parsed === null) body = null;
    else if (typeof parsed === 'string') body = parsed;
    else if (parsed instanceof Uint8Array) body = new Uint8Array(parsed);
    else body = JSON.stringify(parsed);
    // The parser's re-serialized body no longer has the declared length.
    if (body !== null) headers.delete('content-length');
  }
  return new Request(url, { method, headers, body, duplex: 'half' } as RequestInit);
}

/**
 * `toWebRequest` for the collect path: a small body with a declared length (a beacon) is read from
 * the socket first, becomes the `Request`'s body, and is also handed to the relay as bytes
 * (`PRE_READ_BODY`), which skips a Web stream per request; anything else goes to `toWebRequest`.
 */
export async function readWebRequest(request: NodeRequestLike): Promise<Request> {
  const method = request.method ?? 'GET';
  const declared = request.headers['content-length'];
  if (
    method === 'GET' ||
    method === 'HEAD' ||
    request.readableEnded ||
    declared === undefined ||
    !/^\d+$/.test(declared) ||
    Number(declared) > PRE_READ_MAX_BYTES
  ) {
    return toWebRequest(request);
  }
  const bytes = await readSmallBody(request);
  const encrypted = (request.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const host = request.headers.host ?? 'localhost';
  const url = `${encrypted ? 'https' : 'http'}://${host}${request.originalUrl ?? request.url ?? '/'}`;
  // `rawHeaders` as name/value pairs: the Request fills its headers once, without an
  // intermediate Headers object (repeated headers stay repeated, as with `append`).
  const raw = request.rawHeaders;
  const pairs: [string, string][] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!;
    if (name.startsWith(':')) continue;
    pairs.push([name, raw[index + 1]!]);
  }
  // The Request still carries the body for whoever reads it (a wrapped relay, a test); the relay
  // takes the bytes from PRE_READ_BODY instead of reading them back through a stream.
  const webRequest = new Request(url, {
    method,
    headers: pairs,
    body: bytes ?? new Uint8Array(0),
  }) as PreReadRequest;
  webRequest[PRE_READ_BODY] = bytes;
  return webRequest;
}

/**
 * The plain path of `readWebRequest`, for a relay's own collect pipeline (`COLLECT_ENTRY`): the
 * same request (URL, headers as the `Request` would give them, the body read ahead from the
 * socket) without a Web `Request`, whose construction (headers list, abort signal, body stream)
 * costs more than the relay's checks on a beacon. `undefined` when this request needs the `Request`
 * path: not a POST with a small declared body, or a URL the `Request` constructor would refuse
 * (so that path fails exactly as before).
 */
export async function readCollectRequest(
  request: NodeRequestLike,
): Promise<CollectRequest | undefined> {
  if (request.method !== 'POST' || request.readableEnded) return undefined;
  const declared = request.headers['content-length'];
  if (declared === undefined || !/^\d+$/.test(declared) || Number(declared) > PRE_READ_MAX_BYTES) {
    return undefined;
  }
  const encrypted = (request.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const origin = `${encrypted ? 'https' : 'http'}://${request.headers.host ?? 'localhost'}`;
  const path = request.originalUrl ?? request.url ?? '/';
  if (!path.startsWith('/') || !isRequestOrigin(origin)) return undefined;
  const bytes = await readSmallBody(request);
  return {
    method: 'POST',
    url: origin + path,
    headers: rawHeaderReader(request.rawHeaders),
    body: null,
    [PRE_READ_BODY]: bytes,
  };
}

/**
 * Whether `new Request(origin + path)` accepts the URL, for a path starting with `/` (the path
 * cannot make it fail; the host can, and so can credentials in it). Remembered per origin.
 */
function isRequestOrigin(origin: string): boolean {
  let valid = validOrigins.get(origin);
  if (valid === undefined) {
    try {
      const url = new URL(`${origin}/`);
      valid = url.username === '' && url.password === '';
    } catch {
      valid = false;
    }
    if (validOrigins.size >= 100) validOrigins.clear();
    validOrigins.set(origin, valid);
  }
  return valid;
}

const validOrigins = new Map<string, boolean>();

/**
 * `Headers.get` over `rawHeaders`, with the `Headers` rules: names case-insensitive, a repeated
 * header joined with `, ` (`; ` for `Cookie`), values without surrounding whitespace, HTTP/2
 * pseudo-headers left out. Built on the first lookup.
 */
export function rawHeaderReader(raw: readonly string[]): HeaderReader {
  return new RawHeaders(raw);
}

class RawHeaders implements HeaderReader {
  private map: Map<string, string> | undefined;

  constructor(private readonly raw: readonly string[]) {}

  get(name: string): string | null {
    if (this.map === undefined) {
      const map = new Map<string, string>();
      const raw = this.raw;
      for (let index = 0; index + 1 < raw.length; index += 2) {
        const key = raw[index]!.toLowerCase();
        if (key.startsWith(':')) continue;
        const value = trimHttpWhitespace(raw[index + 1]!);
        const existing = map.get(key);
        map.set(
          key,
          existing === undefined ? value : `${existing}${key === 'cookie' ? '; ' : ', '}${value}`,
        );
      }
      this.map = map;
    }
    return this.map.get(name.toLowerCase()) ?? null;
  }
}

/** The header value normalization of `Headers`: leading and trailing tab, LF, CR and space dropped. */
function trimHttpWhitespace(value: string): string {
  return /^[\t\n\r ]|[\t\n\r ]$/.test(value)
    ? value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '')
    : value;
}

/**
 * Writes a relay's `CollectReply` as `sendWebResponse` writes the `Response` made from it: the
 * same status, headers (in the same order) and body; the connection closed after a body that was
 * not read to its end.
 */
export function sendCollectReply(
  reply: CollectReply,
  target: ServerResponse,
  request: IncomingMessage,
): Promise<void> | undefined {
  target.statusCode = reply.status;
  const headers = reply.headers;
  // `Headers` iterates its names sorted.
  for (const name of Object.keys(headers).sort()) target.setHeader(name, headers[name]!);
  if (reply.setCookies !== undefined && reply.setCookies.length > 0) {
    target.setHeader('set-cookie', reply.setCookies);
  }
  if (request.complete) {
    target.end(reply.body);
    return undefined;
  }
  if (!request.readableEnded) target.setHeader('connection', 'close');
  return new Promise<void>((resolve) => target.end(reply.body, resolve)).then(() => {
    if (!request.complete) request.destroy();
  });
}

/** The whole body of a request whose declared length is small; `null` if the read failed. */
function readSmallBody(request: IncomingMessage): Promise<Uint8Array | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (result: Uint8Array | null) => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onError);
      request.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => chunks.push(chunk);
    const onEnd = () => done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    const onError = () => done(null);
    // A connection closed before the end of the declared body.
    const onClose = () => {
      if (!request.complete) done(null);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onError);
    request.on('close', onClose);
  });
}

/**
 * A pull-based stream over the request: data is read only as the relay asks for it, and a cancel
 * (body over the limit) stops reading instead of draining the rest into memory.
 */
function streamBody(request: IncomingMessage): ReadableStream<Uint8Array> {
  let finished = false;
  let onData: (chunk: Buffer) => void;
  let onEnd: () => void;
  let onError: (error: Error) => void;
  const detach = () => {
    request.off('data', onData);
    request.off('end', onEnd);
    request.off('error', onError);
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      onData = (chunk) => {
        if (finished) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) request.pause();
      };
      onEnd = () => {
        if (finished) return;
        finished = true;
        detach();
        controller.close();
      };
      onError = (error) => {
        if (finished) return;
        finished = true;
        detach();
        controller.error(error);
      };
      request.on('data', onData);
      request.on('end', onEnd);
      request.on('error', onError);
      request.pause();
    },
    pull() {
      request.resume();
    },
    cancel() {
      finished = true;
      detach();
      request.pause();
    },
  });
}

/**
 * Writes a Web `Response` to a Node response. After a refused body (413) the connection is closed
 * rather than left to drain the rest of an oversized upload.
 */
export async function sendWebResponse(
  response: Response,
  target: ServerResponse,
  options: { request?: IncomingMessage } = {},
): Promise<void> {
  target.statusCode = response.status;
  const setCookies = response.headers.getSetCookie();
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') target.setHeader(name, value);
  });
  if (setCookies.length > 0) target.setHeader('set-cookie', setCookies);
  if (options.request && !options.request.readableEnded && !options.request.complete) {
    target.setHeader('connection', 'close');
  }
  const body = response.body ? new Uint8Array(await response.arrayBuffer()) : undefined;
  await new Promise<void>((resolve) => target.end(body, resolve));
  if (options.request && !options.request.complete) options.request.destroy();
}

/** The socket address of a Node request. */
export function remoteAddressOf(request: IncomingMessage): string | undefined {
  return request.socket?.remoteAddress ?? undefined;
}
