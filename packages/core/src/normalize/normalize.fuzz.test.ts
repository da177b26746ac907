import { describe, expect, it } from 'vitest';
import { PERSONAL_FIELDS } from '../user-fields';
import { PLATFORMS } from '../event-names';
import { normalize, type NormalizableField } from './normalize';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fields: readonly NormalizableField[] = PERSONAL_FIELDS;
const platforms = PLATFORMS;
// Pieces real input is made of, plus the awkward ones: lone surrogates, combining marks, RTL, NUL.
const alphabet = [
  'a',
  'Z',
  'é',
  'ß',
  '정',
  '東',
  '0',
  '9',
  '+',
  '-',
  '.',
  '@',
  ' ',
  '\t',
  '(',
  ')',
  '/',
  "'",
  '\u0301',
  '\ud800',
  '\u200b',
  '\u202e',
  '\u0000',
  'x',
  '#',
  'ext',
  '00',
  '+1',
  'gmail.com',
];

describe('normalize (fuzz)', () => {
  it('never throws and never returns an empty or untrimmed string for random input', () => {
    const random = seeded(42);
    for (let round = 0; round < 3000; round += 1) {
      const length = Math.floor(random() * 20);
      let text = '';
      for (let index = 0; index < length; index += 1) {
        text += alphabet[Math.floor(random() * alphabet.length)];
      }
      for (const field of fields) {
        const platform = platforms[Math.floor(random() * platforms.length)]!;
        const result = normalize(field, text, platform, { defaultCountry: 'US' });
        if (result === undefined) continue;
        expect(result).not.toBe('');
        expect(result).toBe(result.trim());
        if (field === 'phone') expect(result).toMatch(/^\+?[1-9]\d{6,14}$/);
        if (field === 'dateOfBirth') expect(result).toMatch(/^(19|20)\d{6}$/);
        if (field === 'gender') expect(['f', 'm', 'n']).toContain(result);
        if (field === 'country') expect(result).toMatch(/^[a-z]{2}$/);
      }
    }
  });
});
