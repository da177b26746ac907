/**
 * Event IDs: one per conversion, shared by the pixel call and every server copy so that the
 * platforms deduplicate them (Meta and TikTok on name + ID within 48 h). They must never collide
 * across visitors, so they come from the runtime's cryptographic random source, never `Math.random`.
 */

/**
 * A new random event ID: a version-4 UUID (122 random bits), lowercase, URL-safe, 36 chars.
 * Uses `crypto.randomUUID` where the runtime has it (it is missing on insecure-origin pages) and
 * `crypto.getRandomValues` otherwise.
 *
 * @example
 * const eventId = generateEventId(); // '3b241101-e2bb-4255-8caf-4136c566a962'
 */
export function generateEventId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // RFC 9562 §5.4 from a template, one random nibble per digit (no lookup table: this ships in
  // the browser bundle): `0` and `1` become any nibble, `4` stays (the version), `8` becomes
  // 8–b (variant 10xx).
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) =>
    (+digit ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+digit / 4)))).toString(16),
  );
}
