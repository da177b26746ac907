/**
 * `@capi-kit/core/node`: synchronous, `node:crypto`-backed hashing for Node servers. The relay's
 * prepare step hashes every personal field of every event, and a synchronous one-shot digest avoids
 * a promise per field. This entry imports `node:crypto`, so it is a separate subpath that browser
 * code never imports; everything else in core stays runtime-neutral.
 */
export { sha256HexSync } from './hash/sha256-node-sync';
