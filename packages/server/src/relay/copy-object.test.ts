import { describe, expect, it } from 'vitest';
import { copyForAdding } from './copy-object';

describe('copyForAdding', () => {
  it('copies what a spread copies, in the same order, symbols included', () => {
    const symbol = Symbol('s');
    const source: Record<string | symbol, unknown> = { b: 1, a: { nested: true }, 2: 'x' };
    source[symbol] = 'y';
    Object.defineProperty(source, 'hidden', { value: 1, enumerable: false });
    const copy = copyForAdding(source);
    expect(copy).not.toBe(source);
    expect(Reflect.ownKeys(copy)).toEqual(Reflect.ownKeys({ ...source }));
    expect(copy).toEqual({ ...source });
    expect(copy.a).toBe(source.a);
  });

  it('keeps an own __proto__ key as a key, not as the prototype', () => {
    const source = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as object;
    const copy = copyForAdding(source);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(copy, '__proto__')).toBe(true);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('gives an empty object for a missing value, as spreading undefined does', () => {
    expect(copyForAdding<{ a?: number }>(undefined)).toEqual({});
  });
});
