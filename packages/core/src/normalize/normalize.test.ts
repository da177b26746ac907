import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { PERSONAL_FIELDS } from '../user-fields';
import { PLATFORMS } from '../event-names';
import type { Platform } from '../event';
import { sha256Hex } from '../hash/sha256';
import { normalize, type NormalizableField, type NormalizeOptions } from './normalize';

// The server's parsePhone, built the same way (libphonenumber-js is a devDependency of core only).
const parsePhone = (value: string, defaultCountry?: string) =>
  parsePhoneNumberFromString(value, defaultCountry as CountryCode | undefined)?.number;

const now = Date.UTC(2026, 10, 25);

type Row = [
  field: NormalizableField,
  input: unknown,
  platform: Platform,
  expected: string | undefined,
];

describe('normalize', () => {
  describe('official vectors (platforms.md §1.1): normalized form and hash', () => {
    const official: [NormalizableField, string, Platform, string, string, NormalizeOptions?][] = [
      [
        'email',
        'John_Smith@gmail.com',
        'meta',
        'john_smith@gmail.com',
        '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f',
      ],
      [
        'phone',
        '(650)555-1212',
        'meta',
        '16505551212',
        'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
        { defaultCountry: 'US', parsePhone },
      ],
      [
        'firstName',
        'Mary',
        'meta',
        'mary',
        '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec',
      ],
      [
        'firstName',
        '정',
        'meta',
        '정',
        '8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14',
      ],
      [
        'firstName',
        'Valéry',
        'meta',
        'valéry',
        '08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c',
      ],
      [
        'email',
        'Person@Example.com',
        'snapchat',
        'person@example.com',
        '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345',
      ],
      [
        'phone',
        '+44 844 412 4653',
        'snapchat',
        '448444124653',
        'dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383',
      ],
      [
        'firstName',
        'John',
        'snapchat',
        'john',
        '96d9632f363564cc3032521409cf22a852f2032eec099ed5967c0d000cec607a',
      ],
      [
        'firstName',
        'Raphaël',
        'snapchat',
        'raphaël',
        'e74bb89e718fe1e19c422a48382870399f8bf7ca8dfa008739e75b0be76627b7',
      ],
      [
        'email',
        'Al.ice$+Apple@Example.Com',
        'reddit',
        'alice@example.com',
        'ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976',
      ],
      [
        'email',
        'alice@example.com',
        'reddit',
        'alice@example.com',
        'ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976',
      ],
      // capi-param-builder's PIIUtil test: sha256("123") fed as already-hashed input passes through.
      [
        'email',
        'a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3',
        'meta',
        'a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3',
        'a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3',
      ],
    ];
    it.each(official)(
      '%s %j on %s → %j',
      async (field, input, platform, normalized, hash, options) => {
        const actual = normalize(field, input, platform, options);
        expect(actual).toBe(normalized);
        if (actual === hash) return; // pre-hashed input is never hashed again
        expect(await sha256Hex(actual!)).toBe(hash);
      },
    );

    it('matches the Meta name vector only in NFC, so NFD input is composed first', async () => {
      const nfd = 'Valéry'.normalize('NFD');
      expect(normalize('firstName', nfd)).toBe('valéry'.normalize('NFC'));
      expect(await sha256Hex(normalize('firstName', nfd)!)).toBe(
        '08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c',
      );
    });
  });

  describe('derived vectors (platforms.md §1.2)', () => {
    const derived: [NormalizableField, string, Platform, string, string][] = [
      [
        'phone',
        '+1 (650) 555-1212',
        'google',
        '+16505551212',
        '1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8',
      ],
      [
        'phone',
        '+1 (650) 555-1212',
        'tiktok',
        '+16505551212',
        '1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8',
      ],
      [
        'email',
        'John.Smith@gmail.com',
        'google',
        'johnsmith@gmail.com',
        '3586de92bb3636d0885a12eff961429a32e4ebd764b96f50d85d016f9338d586',
      ],
      [
        'gender',
        'Female',
        'meta',
        'f',
        '252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111',
      ],
      [
        'gender',
        'Male',
        'meta',
        'm',
        '62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a',
      ],
      [
        'dateOfBirth',
        '1997-02-16',
        'meta',
        '19970216',
        '01acdbf6ec7b4f478a225f1a246e5d6767eeab1a7ffa17f025265b5b94f40f0c',
      ],
      ['state', 'CA', 'meta', 'ca', ''],
      ['country', 'US', 'meta', 'us', ''],
      ['zip', '94035', 'meta', '94035', ''],
      ['city', 'South San Francisco', 'meta', 'southsanfrancisco', ''],
    ];
    const prefixes: Record<string, [string, string]> = {
      ca: ['6959097001d1', '31126'],
      us: ['79adb2a2fce5', '904621'],
      '94035': ['1794327a4d44', 'fb052e'],
      southsanfrancisco: ['e6a4de398ede', 'b05d7f'],
    };
    it.each(derived)('%s %j on %s → %j', async (field, input, platform, normalized, hash) => {
      const actual = normalize(field, input, platform, { now });
      expect(actual).toBe(normalized);
      const digest = await sha256Hex(actual!);
      if (hash) {
        expect(digest).toBe(hash);
      } else {
        // §1.2 prints these digests abbreviated: first 12 and last 5–6 characters.
        const [head, tail] = prefixes[normalized]!;
        expect(digest.startsWith(head) && digest.endsWith(tail)).toBe(true);
      }
    });
  });

  describe('phone per platform (platforms.md §1.3)', () => {
    const options = { defaultCountry: 'US', parsePhone };
    const rows: [string, Platform, string | undefined, NormalizeOptions?][] = [
      ['(650)555-1212', 'meta', '16505551212', options],
      ['(650)555-1212', 'snapchat', '16505551212', options],
      ['(650)555-1212', 'pinterest', '16505551212', options],
      ['(650)555-1212', 'google', '+16505551212', options],
      ['(650)555-1212', 'tiktok', '+16505551212', options],
      ['(650)555-1212', 'reddit', '+16505551212', options],
      ['+44 844 412 4653', 'meta', '448444124653'],
      ['+44 844 412 4653', 'google', '+448444124653'],
      ['0044 844 412 4653', 'snapchat', '448444124653'],
      ['+44 (0)20 7946 0000', 'meta', '442079460000'],
      ['020 7946 0000', 'meta', '442079460000', { defaultCountry: 'GB' }],
      ['020 7946 0000', 'meta', '442079460000', { defaultCountry: 'gb', parsePhone }],
      ['(650) 555-1212', 'meta', '16505551212', { defaultCountry: 'US' }],
      ['650.555.1212 ext. 44', 'tiktok', '+16505551212', { defaultCountry: 'US' }],
      ['tel:+16505551212', 'meta', '16505551212'],
      [' 16505551212 ', 'meta', '16505551212'],
      ['16505551212', 'google', '+16505551212'],
      ['12345', 'meta', undefined],
      ['+1 234 567 890 123 456 78', 'meta', undefined],
      ['call me maybe', 'meta', undefined],
      ['+', 'meta', undefined],
    ];
    it.each(rows)('%j on %s → %j', (input, platform, expected, rowOptions) => {
      expect(normalize('phone', input, platform, rowOptions)).toBe(expected);
    });

    it('falls back to its own rules when parsePhone throws or returns nonsense', () => {
      const throwing = () => {
        throw new Error('boom');
      };
      expect(normalize('phone', '+16505551212', 'meta', { parsePhone: throwing })).toBe(
        '16505551212',
      );
      expect(normalize('phone', '+16505551212', 'meta', { parsePhone: () => 'nope' })).toBe(
        '16505551212',
      );
    });
  });

  describe('the other fields', () => {
    const rows: Row[] = [
      // e-mail
      ['email', '  John.Smith@GMail.com ', 'meta', 'john.smith@gmail.com'],
      ['email', 'John.Smith@gmail.com', 'snapchat', 'john.smith@gmail.com'],
      ['email', 'J.o.h.n+tag@googlemail.com', 'google', 'john+tag@googlemail.com'],
      ['email', 'john.smith@example.com', 'google', 'john.smith@example.com'],
      ['email', 'not an email', 'meta', undefined],
      ['email', 'john@localhost', 'meta', undefined],
      ['email', '@example.com', 'meta', undefined],
      ['email', '+@example.com', 'reddit', undefined],
      // names
      ['lastName', "O'Brien-Smith Jr.", 'meta', 'obriensmithjr'],
      ['lastName', 'O’Brien', 'meta', 'obrien'],
      ['firstName', 'Mary Ann', 'meta', 'maryann'],
      ['firstName', 'Mary Ann', 'tiktok', 'maryann'],
      ['firstName', ' Mary-Ann 2 ', 'google', 'maryann'],
      ['firstName', 'Mary  Ann', 'google', 'mary ann'],
      ['firstName', 'Valéry', 'pinterest', 'valéry'],
      ['firstName', '...', 'meta', undefined],
      // date of birth
      ['dateOfBirth', '1997-02-16', 'meta', '19970216'],
      ['dateOfBirth', '02/16/1997', 'meta', '19970216'],
      ['dateOfBirth', '16.02.1997', 'meta', '19970216'],
      ['dateOfBirth', '19970216', 'snapchat', '19970216'],
      ['dateOfBirth', '2/3/1997', 'meta', '19970203'],
      ['dateOfBirth', '1997-02-16T00:00:00Z', 'meta', '19970216'],
      ['dateOfBirth', '1997-02-16 10:00', 'meta', '19970216'],
      ['dateOfBirth', '1997/2/3', 'meta', '19970203'],
      ['dateOfBirth', '16/02/97', 'meta', '19970216'],
      ['dateOfBirth', '02/16/05', 'meta', '20050216'],
      ['dateOfBirth', '1997-02-30', 'meta', undefined],
      ['dateOfBirth', '2000-02-29', 'meta', '20000229'],
      ['dateOfBirth', '1899-01-01', 'meta', undefined],
      ['dateOfBirth', '2031-01-01', 'meta', undefined],
      ['dateOfBirth', '13/13/1997', 'meta', undefined],
      ['dateOfBirth', 'yesterday', 'meta', undefined],
      ['dateOfBirth', new Date(Date.UTC(1997, 1, 16)), 'meta', '19970216'],
      ['dateOfBirth', new Date(Number.NaN), 'meta', undefined],
      // gender
      ['gender', 'Female', 'meta', 'f'],
      ['gender', ' F ', 'snapchat', 'f'],
      ['gender', 'woman', 'meta', 'f'],
      ['gender', 'Mrs.', 'meta', 'f'],
      ['gender', 'MALE', 'meta', 'm'],
      ['gender', 'Mr', 'meta', 'm'],
      ['gender', 'non-binary', 'pinterest', 'n'],
      ['gender', 'non-binary', 'meta', undefined],
      ['gender', 'unknown', 'meta', undefined],
      // city
      ['city', 'South San Francisco', 'meta', 'southsanfrancisco'],
      ['city', 'São Paulo', 'meta', 'saopaulo'],
      ['city', 'Zürich', 'snapchat', 'zurich'],
      ['city', '東京', 'meta', '東京'],
      ['city', 'St. Louis', 'tiktok', 'stlouis'],
      ['city', 'São Paulo', 'google', 'são paulo'],
      ['city', '-', 'meta', undefined],
      // state
      ['state', 'California', 'meta', 'ca'],
      ['state', 'california', 'google', 'ca'],
      ['state', 'CA', 'meta', 'ca'],
      ['state', 'New York', 'meta', 'ny'],
      ['state', 'Québec', 'meta', 'qc'],
      ['state', 'US-TX', 'meta', 'tx'],
      ['state', 'Bavaria', 'meta', 'bavaria'],
      // zip
      ['zip', '94025-1234', 'meta', '94025'],
      ['zip', '94025 1234', 'meta', '94025'],
      ['zip', '940251234', 'meta', '94025'],
      ['zip', '94025', 'tiktok', '94025'],
      ['zip', 'SW1A 1AA', 'meta', 'sw1a1aa'],
      ['zip', '00-950', 'meta', '00950'],
      ['zip', 94025, 'meta', '94025'],
      ['zip', '1', 'meta', undefined],
      // country
      ['country', 'United States', 'meta', 'us'],
      ['country', 'USA', 'meta', 'us'],
      ['country', 'us', 'google', 'us'],
      ['country', 'Deutschland', 'meta', 'de'],
      ['country', 'Germany', 'meta', 'de'],
      ['country', 'United Kingdom', 'meta', 'gb'],
      ['country', 'Österreich', 'meta', 'at'],
      ['country', 'XX', 'meta', undefined],
      ['country', 'Atlantis', 'meta', undefined],
      // external id
      ['externalId', ' Cust 42 ', 'meta', 'cust42'],
      ['externalId', 'Cust-42', 'tiktok', 'cust-42'],
      ['externalId', ' Cust-42 ', 'google', 'Cust-42'],
      ['externalId', 42, 'meta', '42'],
    ];
    it.each(rows)('%s %j on %s → %j', (field, input, platform, expected) => {
      expect(normalize(field, input, platform, { now })).toBe(expected);
    });
  });

  describe('unusable and pre-hashed input', () => {
    const fields: readonly NormalizableField[] = PERSONAL_FIELDS;
    const platforms = PLATFORMS;
    const junk: unknown[] = [
      '',
      '   ',
      '\t\n',
      undefined,
      null,
      {},
      [],
      ['a@b.co'],
      NaN,
      Infinity,
      true,
      Symbol('x'),
      () => 'x',
    ];
    const hashed = '62A14E44F765419D10FEA99367361A727C12365E2520F32218D505ED9AA0F62F';

    for (const field of fields) {
      it(`returns undefined for empty, whitespace-only and non-string ${field}`, () => {
        for (const platform of platforms) {
          for (const value of junk) expect(normalize(field, value, platform)).toBeUndefined();
        }
      });

      it(`passes an already-hashed ${field} through lowercased, on every platform`, () => {
        for (const platform of platforms) {
          expect(normalize(field, ` ${hashed} `, platform)).toBe(hashed.toLowerCase());
        }
      });
    }

    it('defaults to the meta platform', () => {
      expect(normalize('phone', '+1 650 555 1212')).toBe('16505551212');
      expect(normalize('email', 'John.Smith@gmail.com')).toBe('john.smith@gmail.com');
    });

    it('never returns an empty string, whatever the input', () => {
      const samples = [
        '.',
        '-',
        '()',
        '+',
        '@',
        '0',
        '00',
        '+0',
        '—',
        '\u200b',
        '\u0301',
        'x',
        '12',
      ];
      for (const field of fields) {
        for (const platform of platforms) {
          for (const sample of samples) expect(normalize(field, sample, platform)).not.toBe('');
        }
      }
    });
  });
});
