/**
 * A Meta Graph API stand-in for the load suites: answers every POST with Meta's success shape (or
 * with a transient 503 while told to simulate an outage) and counts requests, events and bytes. It does not validate (the `@capi-kit/testing` fake does that
 * in suite 5); it only has to be cheap, so that the relay under load is what gets measured.
 * Loopback only. Asked over IPC for its counts.
 */
import http from 'node:http';

let requests = 0;
let events = 0;
let bytes = 0;
let refused = 0;
// During a simulated outage every request gets Meta's transient 503 (platforms.md §2.9).
let outage = false;

const server = http.createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', () => {
    if (outage) {
      refused += 1;
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          error: {
            message: 'Service temporarily unavailable',
            type: 'OAuthException',
            code: 2,
            is_transient: true,
            fbtrace_id: 'AbCdEfSink',
          },
        }),
      );
      return;
    }
    requests += 1;
    bytes += body.length;
    // Counting `"event_id"` keys is enough to count events without parsing the whole body.
    let count = 0;
    for (let at = body.indexOf('"event_id"'); at !== -1; at = body.indexOf('"event_id"', at + 1)) {
      count += 1;
    }
    events += count;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ events_received: count, messages: [], fbtrace_id: 'AbCdEfSink' }),
    );
  });
});

process.on('message', (message) => {
  const typed = /** @type {{ type: string, id: string }} */ (message);
  if (typed.type === 'counts') {
    process.send?.({ id: typed.id, type: 'counts', requests, events, bytes, refused });
  }
  if (typed.type === 'outage') {
    outage = /** @type {{ on?: boolean }} */ (message).on === true;
    process.send?.({ id: typed.id, type: 'outage', outage });
  }
  if (typed.type === 'reset') {
    requests = 0;
    events = 0;
    bytes = 0;
    refused = 0;
    process.send?.({ id: typed.id, type: 'reset' });
  }
});

server.listen(0, '127.0.0.1', () => {
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${address.port}` });
});
