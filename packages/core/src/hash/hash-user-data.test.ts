import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { PLATFORMS } from '../event-names';
import type { Platform, UserData } from '../event';
import { hashUserDataSync } from '../node';
import {
  hashUserData,
  hashUserDataAsync,
  isHashedField,
  tryHashUserDataSync,
} from './hash-user-data';
import { sha256Hex } from './sha256';
import { PERSONAL_FIELDS } from '../user-fields';

const parsePhone = (value: string, defaultCountry?: string) =>
  parsePhoneNumberFromString(value, defaultCountry as CountryCode | undefined)?.number;

const EM = '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'; // john_smith@gmail.com
const PH_META = 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176'; // 16505551212
const PH_PLUS = '1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8'; // +16505551212

const person: UserData = {
  email: ['John_Smith@gmail.com', ' JOHN_SMITH@gmail.com '],
  phone: '(650)555-1212',
  firstName: 'Mary',
  lastName: "O'Brien-Smith Jr.",
  dateOfBirth: '02/16/1997',
  gender: 'Female',
  city: 'South San Francisco',
  state: 'California',
  zip: '94025-1234',
  country: 'United States',
  externalId: 'Cust 42',
  ip: '2001:db8::1',
  userAgent: 'Mozilla/5.0',
  fbp: 'fb.1.1558571054389.1098115397',
  fbc: 'fb.1.1554763741205.AbCdEf',
  gaClientId: '1827526090.1689745728',
  ttclid: 'E.C.P.abc',
};
const options = { defaultCountry: 'US', parsePhone };

describe('hashUserData', () => {
  it('hashes every Meta field and copies identifiers plain (platforms.md §13)', async () => {
    expect(await hashUserData('meta', person, options)).toEqual({
      email: [EM],
      phone: [PH_META],
      firstName: [await sha256Hex('mary')],
      lastName: [await sha256Hex('obriensmithjr')],
      dateOfBirth: [await sha256Hex('19970216')],
      gender: [await sha256Hex('f')],
      city: [await sha256Hex('southsanfrancisco')],
      state: [await sha256Hex('ca')],
      zip: [await sha256Hex('94025')],
      country: [await sha256Hex('us')],
      externalId: [await sha256Hex('cust42')],
      ip: ['2001:db8::1'],
      userAgent: ['Mozilla/5.0'],
      fbp: ['fb.1.1558571054389.1098115397'],
      fbc: ['fb.1.1554763741205.AbCdEf'],
      gaClientId: ['1827526090.1689745728'],
      ttclid: ['E.C.P.abc'],
    });
  });

  it('hashes contact data for Google with E.164 phones and sends the address plain', async () => {
    const result = await hashUserData('google', person, options);
    expect(result).toEqual({
      email: [EM],
      phone: [PH_PLUS],
      firstName: [await sha256Hex('mary')],
      lastName: [await sha256Hex('obriensmith jr')],
      city: ['south san francisco'],
      state: ['ca'],
      zip: ['94025'],
      country: ['us'],
      externalId: ['Cust 42'],
      ip: ['2001:db8::1'],
      userAgent: ['Mozilla/5.0'],
      fbp: ['fb.1.1558571054389.1098115397'],
      fbc: ['fb.1.1554763741205.AbCdEf'],
      gaClientId: ['1827526090.1689745728'],
      ttclid: ['E.C.P.abc'],
    });
  });

  it('sends TikTok city, state and country plain and hashes the zip', async () => {
    const result = await hashUserData('tiktok', person, options);
    expect(result.phone).toEqual([PH_PLUS]);
    expect(result.zip).toEqual([await sha256Hex('94025')]);
    expect(result.city).toEqual(['southsanfrancisco']);
    expect(result.state).toEqual(['ca']);
    expect(result.country).toEqual(['us']);
    expect(result.gender).toBeUndefined();
    expect(result.dateOfBirth).toBeUndefined();
  });

  it('gives LinkedIn a hashed e-mail, plain names and no phone', async () => {
    const result = await hashUserData('linkedin', person, options);
    expect(result.email).toEqual([EM]);
    expect(result.firstName).toEqual(['mary']);
    expect(result.lastName).toEqual(['obriensmithjr']);
    expect(result.phone).toBeUndefined();
  });

  it("applies Reddit's e-mail canonicalization before hashing", async () => {
    const result = await hashUserData('reddit', { email: 'Al.ice$+Apple@Example.Com' });
    expect(result).toEqual({
      email: ['ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976'],
    });
  });

  it('never hashes an already-hashed value twice and removes duplicates across forms', async () => {
    const result = await hashUserData('meta', {
      email: [EM.toUpperCase(), 'john_smith@gmail.com', EM],
      phone: ['+1 650 555 1212', PH_META],
    });
    expect(result).toEqual({ email: [EM], phone: [PH_META] });
  });

  it('leaves out empty, unusable and non-string values', async () => {
    const hostile = {
      email: ['', '   ', 'not-an-email', 42],
      phone: '',
      gender: 'unknown',
      ip: '  ',
      userAgent: 7,
      fbp: null,
    } as unknown as UserData;
    expect(await hashUserData('meta', hostile)).toEqual({});
    expect(await hashUserData('meta', undefined)).toEqual({});
  });

  it('only ever outputs lowercase 64-hex for the fields it hashes', async () => {
    const platforms = PLATFORMS;
    for (const platform of platforms) {
      const result = await hashUserData(platform, person, options);
      for (const [field, values] of Object.entries(result)) {
        if (!isHashedField(platform, field as keyof UserData)) continue;
        for (const value of values!) expect(value).toMatch(/^[0-9a-f]{64}$/);
      }
    }
  });
});

describe('hashUserDataSync', () => {
  it('gives exactly the result of hashUserData on every platform', async () => {
    const platforms = PLATFORMS;
    for (const platform of platforms) {
      expect(hashUserDataSync(platform, person, options)).toEqual(
        await hashUserData(platform, person, options),
      );
    }
  });
});

describe('personalOnly', () => {
  it('returns the personal fields exactly as without it, and no identifier or device field', async () => {
    const personal = new Set<string>(PERSONAL_FIELDS);
    for (const platform of PLATFORMS) {
      const all = await hashUserData(platform, person, options);
      const expected = Object.fromEntries(
        Object.entries(all).filter(([field]) => personal.has(field)),
      );
      const onlyPersonal = { ...options, personalOnly: true };
      expect(await hashUserData(platform, person, onlyPersonal)).toEqual(expected);
      expect(hashUserDataSync(platform, person, onlyPersonal)).toEqual(expected);
      expect(await hashUserDataAsync(platform, person, onlyPersonal)).toEqual(expected);
    }
  });
});

describe('hashUserData on a platform it does not know', () => {
  it('leaves every personal field out and still copies identifiers', async () => {
    const result = await hashUserData('myspace' as Platform, person, options);
    expect(result).toEqual({
      ip: ['2001:db8::1'],
      userAgent: ['Mozilla/5.0'],
      fbp: ['fb.1.1558571054389.1098115397'],
      fbc: ['fb.1.1554763741205.AbCdEf'],
      gaClientId: ['1827526090.1689745728'],
      ttclid: ['E.C.P.abc'],
    });
    expect(await hashUserData('toString' as Platform, person, { personalOnly: true })).toEqual({});
  });
});

describe('tryHashUserDataSync', () => {
  it('gives exactly the result of hashUserData on every platform, without a promise', async () => {
    // Core's tests resolve `#sha256` under the `node` condition, where a synchronous digest exists.
    for (const platform of PLATFORMS) {
      const result = tryHashUserDataSync(platform, person, options);
      expect(result).not.toBeInstanceOf(Promise);
      expect(result).toEqual(await hashUserData(platform, person, options));
    }
  });

  it('hashes the same country twice to the same digest (its digests are kept)', async () => {
    const first = tryHashUserDataSync('meta', { country: 'US', gender: 'f' });
    const second = tryHashUserDataSync('meta', { country: 'United States', gender: 'Female' });
    expect(first).toEqual({ country: [await sha256Hex('us')], gender: [await sha256Hex('f')] });
    expect(second).toEqual(first);
  });
});

describe('hashUserDataAsync', () => {
  it('gives exactly the result of the synchronous path on every platform (the WebCrypto path)', async () => {
    const platforms = PLATFORMS;
    const twins: UserData = {
      ...person,
      email: [EM.toUpperCase(), 'john_smith@gmail.com', EM, ' JOHN_SMITH@gmail.com '],
      phone: ['+1 650 555 1212', PH_META, '+16505551212'],
      ip: ' 2001:db8::1 ',
    };
    for (const platform of platforms) {
      for (const user of [person, twins]) {
        expect(await hashUserDataAsync(platform, user, options)).toEqual(
          hashUserDataSync(platform, user, options),
        );
      }
    }
    expect(await hashUserDataAsync('meta', twins, undefined)).toMatchObject({
      email: [EM],
      phone: [PH_META],
      ip: ['2001:db8::1'],
    });
  });
});

describe('isHashedField', () => {
  it.each([
    ['meta', 'email', true],
    ['meta', 'city', true],
    ['meta', 'ip', false],
    ['meta', 'fbc', false],
    ['google', 'phone', true],
    ['google', 'city', false],
    ['google', 'zip', false],
    ['tiktok', 'zip', true],
    ['tiktok', 'country', false],
    ['snapchat', 'gender', true],
    ['pinterest', 'dateOfBirth', true],
    ['reddit', 'email', true],
    ['linkedin', 'firstName', false],
    ['linkedin', 'email', true],
  ] as const)('%s %s → %s', (platform, field, expected) => {
    expect(isHashedField(platform, field)).toBe(expected);
  });
});
