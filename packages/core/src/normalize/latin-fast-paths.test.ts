import { describe, expect, it } from 'vitest';
import { normalize } from './normalize';

// The fast paths in `normalize.ts` treat text below U+0300 one character at a time. These tests
// hold them to the Unicode rules they replace, on every character below U+0300 and every pair of
// them (pairs are where NFC composition or context-dependent lowercasing would show).

const LATIN_END = 0x300;
const latin = Array.from({ length: LATIN_END }, (_, code) => String.fromCharCode(code));
// Pairs of two ASCII characters never reach the per-character path (ASCII has its own), so pairs
// take at least one character above ASCII, next to every character below U+0300.
const pairs = latin.slice(0x80).flatMap((high) => latin.flatMap((any) => [high + any, any + high]));

/** What every field shares, as `normalizeWith` did it before the fast paths. */
function reference(rule: (text: string) => string, value: string): string | undefined {
  const text = value.normalize('NFC').trim();
  if (text === '') return undefined;
  const result = rule(text);
  return result === '' ? undefined : result;
}

/** The Meta city rule, for every script: diacritics off, lowercase, letters and digits only. */
const foldRule = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

/** The Meta name rule, for every script: lowercase, no punctuation, symbols or spaces. */
const nameRule = (text: string) => text.toLowerCase().replace(/[\p{P}\p{S}\p{Z}\s]+/gu, '');

function mismatches(
  inputs: readonly string[],
  actual: (text: string) => string | undefined,
  expected: (text: string) => string | undefined,
): string[] {
  const found: string[] = [];
  for (const input of inputs) {
    if (actual(input) !== expected(input)) found.push(input);
  }
  return found;
}

describe('normalize: Latin fast paths', () => {
  it('relies on no character or pair below U+0300 changing under NFC', () => {
    expect(mismatches([...latin, ...pairs], (text) => text.normalize('NFC'), String)).toEqual([]);
  });

  it('folds cities below U+0300 exactly as the Unicode rule does', () => {
    expect(
      mismatches(
        [...latin, ...pairs],
        (text) => normalize('city', text, 'meta'),
        (text) => reference(foldRule, text),
      ),
    ).toEqual([]);
  });

  it('normalizes names below U+0300 exactly as the Unicode rule does', () => {
    expect(
      mismatches(
        [...latin, ...pairs],
        (text) => normalize('firstName', text, 'meta'),
        (text) => reference(nameRule, text),
      ),
    ).toEqual([]);
  });

  it('reads every two-letter ASCII country the way the general path does', () => {
    const letters = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'];
    const known = new Set<string>();
    for (const first of letters) {
      for (const second of letters) {
        const result = normalize('country', first + second);
        // Either the lowercased code (when ISO assigns it) or nothing; never a different code.
        if (result !== undefined) {
          expect(result).toBe((first + second).toLowerCase());
          known.add(result);
        }
      }
    }
    expect(known.size).toBe(249);
    expect(normalize('country', ' Us ')).toBe('us');
    expect(normalize('country', 'XX')).toBeUndefined();
  });

  it('passes a five-digit ZIP through and still reads the other forms', () => {
    expect(normalize('zip', '02134')).toBe('02134');
    expect(normalize('zip', ' 94025-1234 ')).toBe('94025');
    expect(normalize('zip', '9402')).toBe('9402');
    expect(normalize('zip', '٠١٢٣٤')).toBe('٠١٢٣٤');
  });
});
