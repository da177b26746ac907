/**
 * `@capi-kit/core/node`: synchronous, `node:crypto`-backed hashing for Node servers. The relay's
 * prepare step hashes every personal field of every event, and a synchronous one-shot digest avoids
 * a promise per field. This entry imports `node:crypto`, so it is a separate subpath that browser
 * code never imports; everything else in core stays runtime-neutral.
 */
import type { Platform, UserData } from './event';
import {
  hashUserDataWith,
  type HashedUserData,
  type HashUserDataOptions,
} from './hash/hash-user-data';
import { sha256HexSync } from './hash/sha256-node-sync';

export { sha256HexSync };

/**
 * `hashUserData` without promises, hashing through `node:crypto` (Node only). Same result as
 * `hashUserData(platform, user, options)`.
 *
 * @example
 * import { hashUserDataSync } from '@capi-kit/core/node';
 * hashUserDataSync('google', { phone: '+1 650 555 1212' }); // { phone: ['1e231c66…ffbc8'] }
 */
export function hashUserDataSync(
  platform: Platform,
  user: UserData | undefined,
  options?: HashUserDataOptions,
): HashedUserData {
  return hashUserDataWith(sha256HexSync, platform, user, options);
}
