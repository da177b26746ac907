import { describe, expect, it } from 'vitest';
import { PLATFORMS } from '../event-names';
import {
  normalize,
  normalizeEmail,
  normalizeExternalId,
  normalizeName,
  normalizePhone,
} from './normalize';

const digest = 'A'.repeat(64);
const samples: Record<string, unknown[]> = {
  email: [
    ' Ada.L@GMail.com ',
    'first.last+tag@example.co.uk',
    'not an email',
    '',
    42,
    null,
    digest,
  ],
  phone: ['+44 844 412 4653', '(650) 555-1212 ext. 7', '0044 20 7946 0018', 'call me', 16505551212],
  name: ["O'Brien-Smith Jr.", ' Zoë ', 'José María', '...', undefined, digest],
  externalId: [' User 42 ', 'ABC', '   ', 7],
};

describe('per-field normalizers', () => {
  for (const platform of PLATFORMS) {
    it(`${platform}: give exactly what normalize gives for the same field`, () => {
      for (const value of samples.email!) {
        expect(normalizeEmail(value, platform)).toBe(normalize('email', value, platform));
      }
      for (const value of samples.phone!) {
        expect(normalizePhone(value, platform)).toBe(normalize('phone', value, platform));
      }
      for (const value of samples.name!) {
        expect(normalizeName(value, platform)).toBe(normalize('firstName', value, platform));
        expect(normalizeName(value, platform)).toBe(normalize('lastName', value, platform));
      }
      for (const value of samples.externalId!) {
        expect(normalizeExternalId(value, platform)).toBe(normalize('externalId', value, platform));
      }
    });
  }

  it('normalize as the platforms want it, Meta by default', () => {
    expect(normalizeEmail(' Ada.L@GMail.com ')).toBe('ada.l@gmail.com');
    expect(normalizeEmail(' Ada.L@GMail.com ', 'google')).toBe('adal@gmail.com');
    expect(normalizePhone('+44 844 412 4653')).toBe('448444124653');
    expect(normalizePhone('+44 844 412 4653', 'tiktok')).toBe('+448444124653');
    expect(normalizePhone('020 7946 0018', 'meta', { defaultCountry: 'GB' })).toBe('442079460018');
    expect(normalizeName("O'Brien-Smith Jr.")).toBe('obriensmithjr');
    expect(normalizeExternalId(' User 42 ')).toBe('user42');
    expect(normalizeExternalId(' User 42 ', 'google')).toBe('User 42');
    expect(normalizeEmail(digest)).toBe(digest.toLowerCase());
    expect(normalizeName({})).toBeUndefined();
  });
});
