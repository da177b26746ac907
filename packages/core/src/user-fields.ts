/**
 * The fields of `UserData` by kind, listed once for every module that walks them (validation,
 * hashing): personal data typed by the person, and first-party identifiers sent in clear text.
 */

/** Personal data: normalized, and hashed where the platform wants it hashed. */
export const PERSONAL_FIELDS = [
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
] as const;

/** First-party identifiers (cookies and click IDs), always in clear text. */
export const IDENTIFIER_FIELDS = [
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
] as const;

/** Device data the server fills in (never trusted from a browser), in clear text. */
export const DEVICE_FIELDS = ['ip', 'userAgent'] as const;
