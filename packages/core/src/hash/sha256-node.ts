/**
 * SHA-256 on Node, behind the `#sha256` import's `node` condition: `node:crypto` instead of
 * WebCrypto, which costs 7–14× more per field on Node.
 */
import { sha256HexSync } from './sha256-node-sync';

/**
 * The synchronous digest, so `hashUserData` can hash every field of an event in one pass and
 * settle one promise instead of one per field (a microtask per field costs more than the hash).
 */
export { sha256HexSync };

/** Lowercase hex SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): Promise<string> {
  try {
    return Promise.resolve(sha256HexSync(text));
  } catch (error) {
    return Promise.reject(error);
  }
}
