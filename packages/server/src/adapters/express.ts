/**
 * `@capi-kit/server/express`: the relay as Express middleware (Express 4 and 5). Mount it on the
 * collect path: `app.use('/e', capiMiddleware(relay))`. It reads the raw body itself (beacons
 * arrive as `text/plain`), and also works after `express.json()` or `express.text()` consumed it.
 * Express is only imported as types, so it is never a runtime dependency.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Relay } from '../relay/relay-types';
import { readWebRequest, remoteAddressOf, sendWebResponse, toWebRequest } from './node-request';

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
    readWebRequest(request)
      .then((webRequest) => relay.handle(webRequest, { remoteAddress: remoteAddressOf(request) }))
      .then((webResponse) => sendWebResponse(webResponse, response, { request }))
      .catch(next);
  };
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
