import { describe, expect, it } from 'vitest';
import { generateEventId } from './event-id';

describe('generateEventId', () => {
  it('returns a lowercase version-4 UUID, which is URL-safe', () => {
    const id = generateEventId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(encodeURIComponent(id)).toBe(id);
  });

  it('never repeats across many calls', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => generateEventId()));
    expect(ids.size).toBe(10_000);
  });

  it('falls back to getRandomValues where randomUUID is missing (insecure origins)', () => {
    const original = crypto.randomUUID;
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      const ids = Array.from({ length: 1000 }, () => generateEventId());
      for (const id of ids) {
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }
      expect(new Set(ids).size).toBe(1000);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
    }
  });
});
