/**
 * The "simulate an ad blocker" switch is a cookie, so the server can refuse the pixel scripts the
 * way a blocker does: the script request fails, the platform global never appears, and the tracker
 * reports the pixel as blocked while the first-party beacon still reaches the relay.
 */
export const ADBLOCK_COOKIE = 'ck_adblock';
