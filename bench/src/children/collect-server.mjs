/**
 * Child process of suite 4: one collect server on 127.0.0.1, port 0, in one of four variants:
 * - `express-capi`: Express 5 with `capiMiddleware(relay)` at `/e` (a);
 * - `express-bare`: Express 5 with `express.json()` (told to parse the `text/plain` that
 *   sendBeacon sends, so it does the same parse) answering 204 (b);
 * - `node-relay`: raw `node:http` handing each request to `relay.handle` (c);
 * - `node-bare`: raw `node:http` reading and parsing the JSON body, answering 204 (d).
 * The relay's Meta destination delivers to the sink URL given as the second argument.
 */
import http from 'node:http';
import { createBenchRelay } from '../lib/relay-setup.mjs';
import { NotYetAvailable } from '../lib/report.mjs';

const [variant, sinkUrl] = process.argv.slice(2);

/**
 * `IncomingMessage` → `Request` for variant (c). The server package has its own conversion for
 * its Node adapters; if it exports one we use it (see `toRequest` below), otherwise this minimal
 * one, which is what a user writing a raw `node:http` server would do.
 * @param {http.IncomingMessage} incoming
 * @returns {Promise<Request>}
 */
async function minimalToRequest(incoming) {
  const chunks = [];
  for await (const chunk of incoming) chunks.push(chunk);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return new Request(`http://${incoming.headers.host ?? '127.0.0.1'}${incoming.url}`, {
    method: incoming.method,
    headers,
    body:
      incoming.method === 'GET' || incoming.method === 'HEAD' ? undefined : Buffer.concat(chunks),
  });
}

/**
 * @param {Response} response
 * @param {http.ServerResponse} outgoing
 */
async function writeResponse(response, outgoing) {
  /** @type {Record<string, string | string[]>} */
  const headers = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  outgoing.writeHead(response.status, headers);
  outgoing.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}

/** @returns {Promise<http.Server>} */
async function build() {
  if (variant === 'node-bare') {
    return http.createServer((incoming, outgoing) => {
      let body = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk) => {
        body += chunk;
      });
      incoming.on('end', () => {
        try {
          JSON.parse(body);
          outgoing.writeHead(204).end();
        } catch {
          outgoing.writeHead(400).end();
        }
      });
    });
  }
  const { default: express } = await import('express');
  if (variant === 'express-bare') {
    const app = express();
    app.post(
      '/e',
      express.json({ type: ['application/json', 'text/plain'], limit: '64kb' }),
      (_request, response) => {
        response.status(204).end();
      },
    );
    return http.createServer(app);
  }
  const relay = await createBenchRelay({ metaBaseURL: sinkUrl });
  if (variant === 'express-capi') {
    const { capiMiddleware } = await import('@capi-kit/server/express');
    if (typeof capiMiddleware !== 'function') {
      throw new NotYetAvailable('@capi-kit/server/express does not export capiMiddleware yet');
    }
    const app = express();
    app.use('/e', capiMiddleware(relay));
    return http.createServer(app);
  }
  if (variant === 'node-relay') {
    return http.createServer((incoming, outgoing) => {
      minimalToRequest(incoming)
        .then((request) => relay.handle(request, { remoteAddress: incoming.socket.remoteAddress }))
        .then((response) => writeResponse(response, outgoing))
        .catch(() => {
          outgoing.writeHead(500).end();
        });
    });
  }
  throw new Error(`unknown variant ${variant}`);
}

// The parent asks for this process's CPU time around each load run: CPU µs per request is a
// steadier comparison than requests/s on a machine shared with other work.
process.on('message', (message) => {
  const typed = /** @type {{ type: string, id: string }} */ (message);
  if (typed.type === 'cpu') {
    const usage = process.cpuUsage();
    process.send?.({ id: typed.id, type: 'cpu', ms: (usage.user + usage.system) / 1000 });
  }
});

build()
  .then((server) => {
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1', () => {
      const address = /** @type {import('node:net').AddressInfo} */ (server.address());
      process.send?.({ type: 'ready', url: `http://127.0.0.1:${address.port}` });
    });
  })
  .catch((error) => {
    process.send?.({
      type: error instanceof NotYetAvailable ? 'unavailable' : 'error',
      message: error instanceof Error ? error.message : String(error),
    });
  });
