import { describe, expect, it } from 'vitest';
import { sha256HexSync } from '../node';
import { isSha256Hex, sha256Hex } from './sha256';
import { sha256Hex as sha256HexNode } from './sha256-node';
import { sha256Hex as sha256HexWeb } from './sha256-web';

// platforms.md §1.1, each recomputed locally by the reference's author and by this test.
const vectors: [string, string][] = [
  ['john_smith@gmail.com', '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'],
  ['16505551212', 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176'],
  ['mary', '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec'],
  ['정', '8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14'],
  ['valéry', '08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c'],
  ['raphaël', 'e74bb89e718fe1e19c422a48382870399f8bf7ca8dfa008739e75b0be76627b7'],
  ['123', 'a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3'],
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
];

describe('sha256Hex', () => {
  it.each(vectors)('hashes %j to the published lowercase hex', async (input, expected) => {
    expect(await sha256Hex(input)).toBe(expected);
  });

  it('gives the same digest from the node:crypto and the WebCrypto implementation', async () => {
    for (const [input, expected] of vectors) {
      expect(await sha256HexNode(input)).toBe(expected);
      expect(await sha256HexWeb(input)).toBe(expected);
    }
    const astral = '𝄞 emoji 👩‍👩‍👧 ' + 'x'.repeat(10_000);
    expect(await sha256HexWeb(astral)).toBe(await sha256HexNode(astral));
  });

  it('hashes the NFC and NFD forms of an accented name differently (normalize first)', async () => {
    expect(await sha256Hex('valéry'.normalize('NFD'))).not.toBe(vectors[4]![1]);
  });
});

describe('sha256HexSync', () => {
  it.each(vectors)('hashes %j synchronously to the published lowercase hex', (input, expected) => {
    expect(sha256HexSync(input)).toBe(expected);
  });
});

describe('isSha256Hex', () => {
  it.each([
    [vectors[0]![1], true],
    [vectors[0]![1].toUpperCase(), true],
    [vectors[0]![1].slice(1), false],
    [vectors[0]![1] + '0', false],
    ['d41d8cd98f00b204e9800998ecf8427e', false],
    [vectors[0]![1].slice(1) + 'g', false],
    ['', false],
  ])('judges %j as %s', (value, expected) => {
    expect(isSha256Hex(value)).toBe(expected);
  });
});
