/**
 * `@capi-kit/server/express`: the relay as Express middleware (Express 4 and 5). Mount it on the
 * collect path: `app.use('/e', capiMiddleware(relay))`. It reads the raw body itself (beacons
 * arrive as `text/plain`), and also works after `express.json()` or `express.text()` consumed it.
 * Express is only imported as types, so it is never a runtime dependency.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { COLLECT_ENTRY, type CollectEntry } from '../relay/accept';
import type { Relay } from '../relay/relay-types';
import {
  readCollectRequest,
  readWebRequest,
  remoteAddressOf,
  sendCollectReply,
  sendWebResponse,
  toWebRequest,
} from './node-request';

/**
 * Express middleware for the collect endpoint.
 *
 * @example
 * import express from 'express';
 * import { capiMiddleware } from '@capi-kit/server/express';
 * const app = express();
 * app.use('/e', capiMiddleware(relay));
 */
export function capiMiddleware(relay: Relay): RequestHandler {
  return (request: Request, response: Response, next: NextFunction): void => {
    // A relay from `createRelay` (its own `handle`, not a wrapper's) takes a beacon without a Web
    // `Request`/`Response` around it; anything else goes through `relay.handle`.
    const entry = (relay as { [COLLECT_ENTRY]?: CollectEntry })[COLLECT_ENTRY];
    if (entry !== undefined && entry.handle === relay.handle) {
      readCollectRequest(request)
        .then((input) =>
          input === undefined
            ? viaWebRequest(relay, request, response)
            : entry
                .collect(input, { remoteAddress: remoteAddressOf(request) })
                .then((reply) => sendCollectReply(reply, response, request)),
        )
        .catch(next);
      return;
    }
    viaWebRequest(relay, request, response).catch(next);
  };
}

function viaWebRequest(relay: Relay, request: Request, response: Response): Promise<void> {
  return readWebRequest(request)
    .then((webRequest) => relay.handle(webRequest, { remoteAddress: remoteAddressOf(request) }))
    .then((webResponse) => sendWebResponse(webResponse, response, { request }));
}

/**
 * Express handler for the ledger endpoint (`relay.handleLedger`), e.g.
 * `app.get('/capi-ledger', capiLedgerMiddleware(relay))`.
 */
export function capiLedgerMiddleware(relay: Relay): RequestHandler {
  return (request: Request, response: Response, next: NextFunction): void => {
    relay
      .handleLedger(toWebRequest(request))
      .then((webResponse) => sendWebResponse(webResponse, response))
      .catch(next);
  };
}
