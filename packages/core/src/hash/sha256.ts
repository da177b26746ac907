/**
 * SHA-256 for every runtime. The implementation comes from the package-internal `#sha256` import,
 * which resolves to `node:crypto` under the `node` condition and to WebCrypto everywhere else, so
 * the browser build never sees `node:crypto` and Node never pays for WebCrypto.
 */
import { sha256Hex as sha256HexImpl, sha256HexSync as sha256HexSyncImpl } from '#sha256';

/**
 * Lowercase hex SHA-256 of the UTF-8 bytes of `text`, as every ad platform wants it (platforms.md §1).
 *
 * @example
 * await sha256Hex('mary'); // '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec'
 */
export function sha256Hex(text: string): Promise<string> {
  return sha256HexImpl(text);
}

/**
 * The runtime's synchronous SHA-256 (`node:crypto`), or `undefined` where only WebCrypto exists.
 * Internal: lets `hashUserData` skip a promise per field on Node.
 */
export const syncSha256: ((text: string) => string) | undefined = sha256HexSyncImpl;

/**
 * Whether `value` already is a SHA-256 hex digest (64 hex digits, any case). Pre-hashed input is
 * passed through lowercased instead of hashed twice. MD5-length hex is not accepted: no platform
 * wants MD5 (platforms.md §11.14 recommends exactly this rule).
 */
export function isSha256Hex(value: string): boolean {
  return value.length === 64 && /^[0-9a-f]{64}$/i.test(value);
}
