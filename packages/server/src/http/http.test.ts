import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DestinationCallError } from '@capi-kit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyHttpStatus, parseRetryAfter, postJson, redactUrl } from './index';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

const servers: Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => handler(request, response, body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('postJson', () => {
  it('sends the body as JSON with the given headers and parses a JSON answer', async () => {
    let seen: { method?: string; type?: string; auth?: string; body?: string } = {};
    const url = await serve((request, response, body) => {
      seen = {
        method: request.method,
        type: request.headers['content-type'],
        auth: request.headers.authorization,
        body,
      };
      response.writeHead(200, { 'content-type': 'application/json', 'x-trace': 'abc' });
      response.end('{"events_received":2}');
    });
    const result = await postJson({
      url: `${url}/v1/events`,
      body: { data: [1, 2] },
      headers: { authorization: 'Bearer t' },
    });
    expect(seen).toEqual({
      method: 'POST',
      type: 'application/json',
      auth: 'Bearer t',
      body: '{"data":[1,2]}',
    });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ events_received: 2 });
    expect(result.headers.get('x-trace')).toBe('abc');
  });

  it('returns a non-JSON body as text and an error status without throwing', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<h1>Bad gateway</h1>');
    });
    const result = await postJson({ url, body: {} });
    expect(result.status).toBe(502);
    expect(result.body).toBe('<h1>Bad gateway</h1>');
  });

  it('returns undefined for an empty body', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(204);
      response.end();
    });
    expect((await postJson({ url, body: {} })).body).toBeUndefined();
  });

  it('turns a connection reset into a retryable DestinationCallError', async () => {
    const url = await serve((request) => request.socket.destroy());
    const error = await postJson({ url, body: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DestinationCallError);
    expect((error as DestinationCallError).isRetryable).toBe(true);
    expect((error as DestinationCallError).statusCode).toBeUndefined();
  });

  it('turns a timeout into a retryable DestinationCallError naming the timeout', async () => {
    const url = await serve(() => {
      /* never answers */
    });
    const error = await postJson({ url: `${url}/x?access_token=SECRET`, body: {}, timeoutMs: 50 })
      .then(() => undefined)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DestinationCallError);
    expect((error as DestinationCallError).isRetryable).toBe(true);
    expect((error as Error).message).toContain('within 50 ms');
    expect((error as Error).message).not.toContain('SECRET');
  });

  it('turns a refused connection into a retryable DestinationCallError', async () => {
    const url = await serve(() => undefined);
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    const error = await postJson({ url, body: {} }).catch((caught: unknown) => caught);
    expect((error as DestinationCallError).isRetryable).toBe(true);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('stops when the caller aborts', async () => {
    const url = await serve(() => undefined);
    const controller = new AbortController();
    const pending = postJson({ url, body: {}, signal: controller.signal }).catch(
      (caught: unknown) => caught,
    );
    controller.abort();
    expect((await pending) as Error).toBeInstanceOf(DestinationCallError);
    expect(((await pending) as Error).message).toContain('aborted');
  });
});

describe('classifyHttpStatus', () => {
  it.each([
    [200, 'success'],
    [204, 'success'],
    [408, 'retryable'],
    [429, 'retryable'],
    [500, 'retryable'],
    [503, 'retryable'],
    [599, 'retryable'],
    [400, 'non-retryable'],
    [401, 'non-retryable'],
    [403, 'non-retryable'],
    [404, 'non-retryable'],
    [413, 'non-retryable'],
    [302, 'non-retryable'],
  ] as const)('classifies %i as %s', (status, expected) => {
    expect(classifyHttpStatus(status)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });
  it('reads an HTTP-date relative to now', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
  });
  it('never returns a negative wait for a date in the past', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('returns undefined for absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
  });
});

describe('redactUrl', () => {
  it('hides credential query parameters and user info but keeps the rest', () => {
    expect(
      redactUrl('https://u:p@graph.facebook.com/v26.0/1/events?access_token=EAAB&x=1&api_secret=s'),
    ).toBe(
      'https://graph.facebook.com/v26.0/1/events?access_token=%5Bredacted%5D&x=1&api_secret=%5Bredacted%5D',
    );
  });
});
