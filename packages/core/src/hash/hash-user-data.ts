/**
 * `hashUserData`: a person's data, normalized per platform and hashed where that platform wants it
 * hashed (platforms.md §13). Only these prepared values are ever queued or sent; the raw e-mail or
 * phone never leaves the prepare step. Device data and first-party identifiers are copied as they
 * are, because every platform takes them in clear text (§13, rows IP to browser ID).
 */
import type { Platform, UserData } from '../event';
import {
  fieldNormalizer,
  type NormalizableField,
  type NormalizeOptions,
} from '../normalize/normalize';
import { isSha256Hex, sha256Hex, syncSha256 } from './sha256';
import { DEVICE_FIELDS, IDENTIFIER_FIELDS, PERSONAL_FIELDS } from '../user-fields';

/** Identifier and device fields of `UserData`, always sent in clear text. */
export type PlainUserField = (typeof DEVICE_FIELDS)[number] | (typeof IDENTIFIER_FIELDS)[number];

/**
 * A person's data prepared for one platform, keyed by capi-kit's camelCase names (each destination
 * renames them to the platform's wire fields). Every value is a list of distinct strings: SHA-256
 * lowercase hex where the platform wants the field hashed (`isHashedField`), the normalized clear
 * text where it wants it plain. Empty fields and fields the platform does not accept are left out.
 */
export type HashedUserData = { [Field in NormalizableField | PlainUserField]?: string[] };

const personalFields: readonly NormalizableField[] = PERSONAL_FIELDS;

const plainFields: readonly PlainUserField[] = /* @__PURE__ */ (
  DEVICE_FIELDS as readonly PlainUserField[]
).concat(IDENTIFIER_FIELDS);

type Treatment = 'hash' | 'plain';

/** Options of `hashUserData`: how to normalize, and which fields to return. */
export interface HashUserDataOptions extends NormalizeOptions {
  /**
   * Return the personal fields only (e-mail to external ID), without the identifier and device
   * fields (`ip`, `userAgent`, `fbp`, click IDs…), for a destination that copies those from the
   * event itself and would throw them away. Default: false.
   */
  personalOnly?: boolean;
}

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

/** A normalized value still to hash (asynchronously): its digest goes to `result[field][index]`. */
interface PendingDigest {
  field: NormalizableField;
  index: number;
  text: string;
}

/**
 * One personal field as `collect` handles it for one platform: its treatment, its normalizer, and
 * how to read it from `UserData` and write its values into the result.
 */
interface FieldStep {
  field: NormalizableField;
  treatment: Treatment;
  /** Whether its digests may be kept (see `publicValueFields`). */
  publicValue: boolean;
  normalize: ReturnType<typeof fieldNormalizer>;
  read: (user: UserData) => unknown;
  write: (result: HashedUserData, values: string[]) => void;
}

/**
 * Named reads and writes per field. `user[field]` and `result[field] = …` with a field that
 * changes on every iteration are megamorphic keyed accesses, several times the cost of a named
 * property access, and `collect` makes them for every field of every event.
 */
const fieldAccess: {
  [Field in NormalizableField]: Pick<FieldStep, 'read' | 'write'>;
} = {
  email: { read: (user) => user.email, write: (result, values) => void (result.email = values) },
  phone: { read: (user) => user.phone, write: (result, values) => void (result.phone = values) },
  firstName: {
    read: (user) => user.firstName,
    write: (result, values) => void (result.firstName = values),
  },
  lastName: {
    read: (user) => user.lastName,
    write: (result, values) => void (result.lastName = values),
  },
  dateOfBirth: {
    read: (user) => user.dateOfBirth,
    write: (result, values) => void (result.dateOfBirth = values),
  },
  gender: { read: (user) => user.gender, write: (result, values) => void (result.gender = values) },
  city: { read: (user) => user.city, write: (result, values) => void (result.city = values) },
  state: { read: (user) => user.state, write: (result, values) => void (result.state = values) },
  zip: { read: (user) => user.zip, write: (result, values) => void (result.zip = values) },
  country: {
    read: (user) => user.country,
    write: (result, values) => void (result.country = values),
  },
  externalId: {
    read: (user) => user.externalId,
    write: (result, values) => void (result.externalId = values),
  },
};

/**
 * Fields whose normalized value always comes from a short public list (ISO-3166 alpha-2 codes for
 * `country`, `f`/`m`/`n` for `gender`), so their digests can be kept: the cache is bounded by
 * those lists and holds nothing that identifies a person. Every other field is hashed each time.
 */
const publicValueFields: ReadonlySet<NormalizableField> = new Set(['country', 'gender']);
/** A bound no real input reaches (249 country codes + 3 genders), in case a list ever grows. */
const MAX_PUBLIC_DIGESTS = 512;
/** Digests of public values, per hash function (the sync digest is passed in by the caller). */
const publicDigests = new WeakMap<(text: string) => string, Map<string, string>>();

function publicDigest(hash: (text: string) => string, text: string): string {
  let digests = publicDigests.get(hash);
  if (!digests) {
    digests = new Map();
    publicDigests.set(hash, digests);
  }
  let digest = digests.get(text);
  if (digest === undefined) {
    digest = hash(text);
    if (digests.size < MAX_PUBLIC_DIGESTS) digests.set(text, digest);
  }
  return digest;
}

/**
 * Per platform, the personal fields it accepts with their treatment, in `PERSONAL_FIELDS` order:
 * `collect` walks only these instead of every field with a lookup each.
 */
const fieldPlans = new Map<Platform, readonly FieldStep[]>();

function fieldPlan(platform: Platform): readonly FieldStep[] {
  let plan = fieldPlans.get(platform);
  if (!plan) {
    const fieldTreatments = treatments[platform] ?? {};
    plan = personalFields.flatMap((field) => {
      const treatment = fieldTreatments[field];
      if (!treatment) return [];
      const { read, write } = fieldAccess[field];
      const publicValue = publicValueFields.has(field);
      return [{ field, treatment, publicValue, normalize: fieldNormalizer(field), read, write }];
    });
    // Kept for the known platforms only, so a stray platform string cannot grow the cache.
    if (Object.hasOwn(treatments, platform)) fieldPlans.set(platform, plan);
  }
  return plan;
}

/**
 * Normalizes every field of `user` for `platform`. Given a synchronous SHA-256 the values are
 * hashed in the same pass; given a list instead, the values to hash are left in place and listed
 * there for the caller's asynchronous digest. Each field's values are distinct, in first-seen
 * order: arrays are tiny (usually one value), so `includes` beats building a `Set` per field.
 */
function collect(
  platform: Platform,
  user: UserData | undefined,
  options: HashUserDataOptions | undefined,
  digest: ((text: string) => string) | PendingDigest[],
): HashedUserData {
  const hash = typeof digest === 'function' ? digest : undefined;
  const toHash = typeof digest === 'function' ? undefined : digest;
  const result: HashedUserData = {};
  if (!user || typeof user !== 'object') return result;
  const plan = fieldPlan(platform);
  for (let step = 0; step < plan.length; step++) {
    const { field, treatment, publicValue, normalize, read, write } = plan[step]!;
    const raw = read(user);
    if (raw === undefined || raw === null) continue;
    if (!Array.isArray(raw)) {
      // One value, the common case: no list to deduplicate.
      const normalized = normalize(raw, platform, options);
      if (normalized === undefined) continue;
      if (treatment === 'hash' && !isSha256Hex(normalized)) {
        if (hash) {
          write(result, [publicValue ? publicDigest(hash, normalized) : hash(normalized)]);
        } else {
          toHash!.push({ field, index: 0, text: normalized });
          write(result, [normalized]);
        }
      } else write(result, [normalized]);
      continue;
    }
    const seen: string[] = [];
    const values: string[] = [];
    for (const item of raw as unknown[]) {
      const normalized = normalize(item, platform, options);
      if (normalized === undefined || seen.includes(normalized)) continue;
      seen.push(normalized);
      if (treatment === 'hash' && !isSha256Hex(normalized)) {
        if (hash) {
          // A raw value and its pre-hashed twin meet only after hashing.
          const digest = hash(normalized);
          if (!values.includes(digest)) values.push(digest);
          continue;
        }
        toHash!.push({ field, index: values.length, text: normalized });
      } else if (hash && values.includes(normalized)) continue;
      values.push(normalized);
    }
    if (values.length > 0) write(result, values);
  }
  if (options?.personalOnly) return result;
  for (const field of plainFields) {
    const raw = user[field] as unknown;
    if (raw === undefined || raw === null) continue;
    if (typeof raw === 'string') {
      const text = raw.trim();
      if (text !== '') result[field] = [text];
      continue;
    }
    if (!Array.isArray(raw)) continue;
    const values: string[] = [];
    for (const item of raw as unknown[]) {
      if (typeof item !== 'string') continue;
      const text = item.trim();
      if (text !== '' && !values.includes(text)) values.push(text);
    }
    if (values.length > 0) result[field] = values;
  }
  return result;
}

function dedupeHashed(result: HashedUserData, toHash: PendingDigest[]): void {
  // Two inputs can meet only after hashing (a raw value and its pre-hashed twin).
  for (const item of toHash) {
    const values = result[item.field];
    if (values && values.length > 1) result[item.field] = [...new Set(values)];
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
export function hashUserData(
  platform: Platform,
  user: UserData | undefined,
  options?: HashUserDataOptions,
): Promise<HashedUserData> {
  if (syncSha256) {
    // Node: every field in one synchronous pass, one settled promise per call.
    try {
      return Promise.resolve(collect(platform, user, options, syncSha256));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return hashUserDataAsync(platform, user, options);
}

/**
 * `hashUserData` without the promise where the runtime hashes synchronously (Node, through
 * `node:crypto`): the same result, or `undefined` where only WebCrypto's asynchronous digest
 * exists (browsers, edge runtimes), where the caller falls back to `hashUserData`. For a
 * destination's `doPrepare`, which can then settle one promise per event instead of chaining two.
 *
 * @example
 * const hashed = tryHashUserDataSync('meta', user) ?? (await hashUserData('meta', user));
 */
export function tryHashUserDataSync(
  platform: Platform,
  user: UserData | undefined,
  options?: HashUserDataOptions,
): HashedUserData | undefined {
  return syncSha256 ? collect(platform, user, options, syncSha256) : undefined;
}

/**
 * The promise-per-field path, used where no synchronous digest exists (WebCrypto: browsers, edge
 * runtimes). Exported for tests only; not part of the package's public surface.
 */
export async function hashUserDataAsync(
  platform: Platform,
  user: UserData | undefined,
  options: HashUserDataOptions | undefined,
): Promise<HashedUserData> {
  const toHash: PendingDigest[] = [];
  const result = collect(platform, user, options, toHash);
  const digests = await Promise.all(toHash.map((item) => sha256Hex(item.text)));
  toHash.forEach((item, position) => {
    result[item.field]![item.index] = digests[position]!;
  });
  dedupeHashed(result, toHash);
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
  options?: HashUserDataOptions,
): HashedUserData {
  return collect(platform, user, options, hash);
}
