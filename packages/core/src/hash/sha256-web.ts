/**
 * SHA-256 through WebCrypto, for browsers and edge runtimes. Node resolves `#sha256` to
 * `sha256-node.ts` instead, because `subtle.digest` per field is 7–14× slower there.
 */
import { bytesToHex } from './hex';

const encoder = new TextEncoder();

/** Lowercase hex SHA-256 of the UTF-8 bytes of `text`. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text));
  return bytesToHex(new Uint8Array(digest));
}

/** WebCrypto has no synchronous digest: `hashUserData` takes its promise-per-field path here. */
export const sha256HexSync: ((text: string) => string) | undefined = undefined;
