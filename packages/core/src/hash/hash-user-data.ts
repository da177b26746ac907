/**
 * `hashUserData`: a person's data, normalized per platform and hashed where that platform wants it
 * hashed (platforms.md §13). Only these prepared values are ever queued or sent; the raw e-mail or
 * phone never leaves the prepare step. Device data and first-party identifiers are copied as they
 * are, because every platform takes them in clear text (§13, rows IP to browser ID).
 */
import type { Platform, UserData } from '../event';
import { normalize, type NormalizableField, type NormalizeOptions } from '../normalize/normalize';
import { isSha256Hex, sha256Hex } from './sha256';

/** Identifier and device fields of `UserData`, always sent in clear text. */
export type PlainUserField =
  | 'ip'
  | 'userAgent'
  | 'fbp'
  | 'fbc'
  | 'gaClientId'
  | 'gaSessionId'
  | 'gclid'
  | 'gbraid'
  | 'wbraid'
  | 'ttclid'
  | 'ttp'
  | 'scClickId'
  | 'scCookie1'
  | 'epik'
  | 'rdtCid'
  | 'rdtUuid'
  | 'liFatId'
  | 'msclkid';

/**
 * A person's data prepared for one platform, keyed by capi-kit's camelCase names (each destination
 * renames them to the platform's wire fields). Every value is a list of distinct strings: SHA-256
 * lowercase hex where the platform wants the field hashed (`isHashedField`), the normalized clear
 * text where it wants it plain. Empty fields and fields the platform does not accept are left out.
 */
export type HashedUserData = { [Field in NormalizableField | PlainUserField]?: string[] };

const personalFields: readonly NormalizableField[] = [
  'email',
  'phone',
  'firstName',
  'lastName',
  'dateOfBirth',
  'gender',
  'city',
  'state',
  'zip',
  'country',
  'externalId',
];

const plainFields: readonly PlainUserField[] = [
  'ip',
  'userAgent',
  'fbp',
  'fbc',
  'gaClientId',
  'gaSessionId',
  'gclid',
  'gbraid',
  'wbraid',
  'ttclid',
  'ttp',
  'scClickId',
  'scCookie1',
  'epik',
  'rdtCid',
  'rdtUuid',
  'liFatId',
  'msclkid',
];

type Treatment = 'hash' | 'plain';

/**
 * §13 per platform: which personal fields the platform accepts and whether hashed. A field that is
 * missing here is not accepted by that platform and is left out rather than sent in clear text.
 * Reddit accepts its match keys plain or hashed (§8.3); we hash them, since hashing loses nothing
 * in matching and keeps raw e-mail and phone off the wire.
 */
const treatments: Record<Platform, Partial<Record<NormalizableField, Treatment>>> = {
  meta: {
    email: 'hash',
    phone: 'hash',
    firstName: 'hash',
    lastName: 'hash',
    dateOfBirth: 'hash',
    gender: 'hash',
    city: 'hash',
    state: 'hash',
    zip: 'hash',
    country: 'hash',
    externalId: 'hash',
  },
  google: {
    email: 'hash',
    phone: 'hash',
    firstName: 'hash',
    lastName: 'hash',
    city: 'plain',
    state: 'plain',
    zip: 'plain',
    country: 'plain',
    externalId: 'plain',
  },
  tiktok: {
    email: 'hash',
    phone: 'hash',
    firstName: 'hash',
    lastName: 'hash',
    zip: 'hash',
    externalId: 'hash',
    city: 'plain',
    state: 'plain',
    country: 'plain',
  },
  snapchat: {
    email: 'hash',
    phone: 'hash',
    firstName: 'hash',
    lastName: 'hash',
    dateOfBirth: 'hash',
    gender: 'hash',
    city: 'hash',
    state: 'hash',
    zip: 'hash',
    country: 'hash',
    externalId: 'hash',
  },
  pinterest: {
    email: 'hash',
    phone: 'hash',
    firstName: 'hash',
    lastName: 'hash',
    dateOfBirth: 'hash',
    gender: 'hash',
    city: 'hash',
    state: 'hash',
    zip: 'hash',
    country: 'hash',
    externalId: 'hash',
  },
  reddit: { email: 'hash', phone: 'hash', externalId: 'hash', country: 'plain' },
  linkedin: {
    email: 'hash',
    firstName: 'plain',
    lastName: 'plain',
    country: 'plain',
    externalId: 'plain',
  },
};

/**
 * Whether `platform` wants `field` SHA-256 hashed. Identifiers and device data (`ip`, `userAgent`,
 * `fbp`, `fbc`, click IDs…) are never hashed; neither are fields a platform takes in clear text
 * (GA4's city, TikTok's country) or does not accept at all.
 */
export function isHashedField(platform: Platform, field: keyof UserData): boolean {
  return treatments[platform]?.[field as NormalizableField] === 'hash';
}

function valuesOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

interface Collected {
  result: HashedUserData;
  /** Normalized values still to hash: written back into `result[field][index]`. */
  toHash: { field: NormalizableField; index: number; text: string }[];
}

function collect(
  platform: Platform,
  user: UserData | undefined,
  options: NormalizeOptions | undefined,
): Collected {
  const result: HashedUserData = {};
  const toHash: Collected['toHash'] = [];
  if (!user || typeof user !== 'object') return { result, toHash };
  const fieldTreatments = treatments[platform] ?? {};
  for (const field of personalFields) {
    const treatment = fieldTreatments[field];
    if (!treatment) continue;
    const seen = new Set<string>();
    const values: string[] = [];
    for (const raw of valuesOf(user[field])) {
      const normalized = normalize(field, raw, platform, options);
      if (normalized === undefined || seen.has(normalized)) continue;
      seen.add(normalized);
      if (treatment === 'hash' && !isSha256Hex(normalized)) {
        toHash.push({ field, index: values.length, text: normalized });
      }
      values.push(normalized);
    }
    if (values.length > 0) result[field] = values;
  }
  for (const field of plainFields) {
    const seen = new Set<string>();
    for (const raw of valuesOf(user[field])) {
      if (typeof raw !== 'string') continue;
      const text = raw.trim();
      if (text !== '') seen.add(text);
    }
    if (seen.size > 0) result[field] = [...seen];
  }
  return { result, toHash };
}

function dedupeHashed(result: HashedUserData, fields: Iterable<NormalizableField>): void {
  // Two inputs can meet only after hashing (a raw value and its pre-hashed twin).
  for (const field of fields) {
    const values = result[field];
    if (values) result[field] = [...new Set(values)];
  }
}

/**
 * Normalizes and hashes `user` for `platform` (see `HashedUserData`). Never throws on bad values:
 * an unusable value is left out.
 *
 * @example
 * await hashUserData('meta', { email: 'John_Smith@gmail.com', ip: '203.0.113.7' });
 * // { email: ['62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'], ip: ['203.0.113.7'] }
 */
export async function hashUserData(
  platform: Platform,
  user: UserData | undefined,
  options?: NormalizeOptions,
): Promise<HashedUserData> {
  const { result, toHash } = collect(platform, user, options);
  const digests = await Promise.all(toHash.map((item) => sha256Hex(item.text)));
  toHash.forEach((item, position) => {
    result[item.field]![item.index] = digests[position]!;
  });
  dedupeHashed(result, new Set(toHash.map((item) => item.field)));
  return result;
}

/**
 * The synchronous twin of `hashUserData`, given a synchronous SHA-256 (Node's `sha256HexSync`
 * from `@capi-kit/core/node`, which wires this up as `hashUserDataSync`).
 */
export function hashUserDataWith(
  hash: (text: string) => string,
  platform: Platform,
  user: UserData | undefined,
  options?: NormalizeOptions,
): HashedUserData {
  const { result, toHash } = collect(platform, user, options);
  for (const item of toHash) result[item.field]![item.index] = hash(item.text);
  dedupeHashed(result, new Set(toHash.map((item) => item.field)));
  return result;
}
