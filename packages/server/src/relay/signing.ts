/**
 * Signed events: for events the server knows (an order confirmation), it renders a token (HMAC-
 * SHA256 over name, id and data with `signingSecret`) into the page; the browser passes it back
 * with the beacon, and the relay uses the signed data instead of what the beacon claims (a beacon
 * can claim any purchase value). WebCrypto only, so it runs on every runtime.
 *
 * Token: `base64url(JSON {n, i, d})` `.` `base64url(HMAC)`. The payload is readable by the page
 * (it renders there anyway); only its integrity is protected.
 */
import type { EventData } from '@capi-kit/core';

/** What a token covers. */
export interface SignedEventClaims {
  name: string;
  id: string;
  data?: EventData;
}

const encoder = new TextEncoder();

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

async function hmacKey(secret: string): Promise<HmacKey> {
  return crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

/** Creates a signer/verifier bound to one secret. */
export function createSigner(secret: string) {
  const key = hmacKey(secret);
  return {
    async sign(claims: SignedEventClaims): Promise<string> {
      const body = toBase64Url(
        encoder.encode(JSON.stringify({ n: claims.name, i: claims.id, d: claims.data ?? {} })),
      );
      const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(body)));
      return `${body}.${toBase64Url(mac)}`;
    },
    /** The claims if the token is authentic, else undefined. */
    async verify(token: string): Promise<SignedEventClaims | undefined> {
      const [body, mac, extra] = token.split('.');
      if (!body || !mac || extra !== undefined) return undefined;
      const macBytes = fromBase64Url(mac);
      if (!macBytes) return undefined;
      // crypto.subtle.verify compares in constant time.
      const valid = await crypto.subtle.verify('HMAC', await key, macBytes, encoder.encode(body));
      if (!valid) return undefined;
      try {
        const decoded = JSON.parse(new TextDecoder().decode(fromBase64Url(body))) as {
          n?: unknown;
          i?: unknown;
          d?: unknown;
        };
        if (typeof decoded.n !== 'string' || typeof decoded.i !== 'string') return undefined;
        const data =
          decoded.d && typeof decoded.d === 'object' && !Array.isArray(decoded.d)
            ? (decoded.d as EventData)
            : undefined;
        return data ? { name: decoded.n, id: decoded.i, data } : { name: decoded.n, id: decoded.i };
      } catch {
        return undefined;
      }
    },
  };
}
