/**
 * Event IDs: one per conversion, shared by the pixel call and every server copy so that the
 * platforms deduplicate them (Meta and TikTok on name + ID within 48 h). They must never collide
 * across visitors, so they come from the runtime's cryptographic random source, never `Math.random`.
 */

const hex = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

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
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  // RFC 9562 §5.4: version 4 in the high nibble of byte 6, variant 10xx in byte 8.
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  let id = '';
  for (let index = 0; index < 16; index += 1) {
    if (index === 4 || index === 6 || index === 8 || index === 10) id += '-';
    id += hex[bytes[index]!];
  }
  return id;
}
