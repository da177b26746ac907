/**
 * HTTP helpers for destination authors: `postJson` for the call, `classifyHttpStatus` and
 * `parseRetryAfter` for the retry decision, `redactUrl` for ledgers and logs.
 */
export { DEFAULT_TIMEOUT_MS, postJson, type JsonResponse, type PostJsonOptions } from './post-json';
export {
  classifyHttpStatus,
  parseRetryAfter,
  redactUrl,
  type HttpStatusClass,
} from './http-status';
