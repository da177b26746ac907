import { describe, expect, it } from 'vitest';
import type { UserData } from '@capi-kit/core';
import { normalizePhones } from './enrich';

function phones(user: UserData, defaultCountry?: string) {
  const copy = { ...user };
  normalizePhones(copy, defaultCountry);
  return copy.phone;
}

describe('normalizePhones', () => {
  it.each([
    ['(650) 555-1212', 'US', undefined, '+16505551212'],
    ['(650) 555-1212', undefined, 'US', '+16505551212'],
    ['+1 650-555-1212', 'DE', undefined, '+16505551212'],
    ['0030 210 1234567', 'US', undefined, '0030 210 1234567'],
    ['030 1234567', 'DE', undefined, '+49301234567'],
    ['+44 844 412 4653', undefined, undefined, '+448444124653'],
    ['not a phone', 'US', undefined, 'not a phone'],
  ])('turns %s (country %s, default %s) into %s', (input, country, defaultCountry, expected) => {
    expect(phones(country ? { phone: input, country } : { phone: input }, defaultCountry)).toBe(
      expected,
    );
  });

  it('uses only a two-letter country, falling back to the default', () => {
    expect(phones({ phone: '(650) 555-1212', country: 'United States' }, 'US')).toBe(
      '+16505551212',
    );
  });

  it('converts every number of a list and leaves hashes alone', () => {
    const hash = 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176';
    expect(phones({ phone: ['(650) 555-1212', hash], country: 'us' })).toEqual([
      '+16505551212',
      hash,
    ]);
  });
});
