/**
 * Synchronous SHA-256 on Node through `node:crypto`. Only `sha256-node.ts` and the
 * `@capi-kit/core/node` entry import this file, so `node:crypto` never reaches a browser bundle.
 */
import * as nodeCrypto from 'node:crypto';

// `crypto.hash()` (Node ≥ 20.12) is a one-shot digest without a Hash object: the fastest path for
// the many short strings a relay hashes. `createHash` covers older runtimes that still match `node`.
const oneShot = typeof nodeCrypto.hash === 'function' ? nodeCrypto.hash : undefined;

/** Lowercase hex SHA-256 of the UTF-8 bytes of `text`, synchronously (Node only). */
export function sha256HexSync(text: string): string {
  if (oneShot) return oneShot('sha256', text, 'hex');
  return nodeCrypto.createHash('sha256').update(text, 'utf8').digest('hex');
}
