import { describe, expect, it } from 'vitest';
import { KeyTable } from './key-table';

/** What the table replaces: a `Map` bounded by deleting its oldest keys. */
class ReferenceTable {
  private readonly entries = new Map<string, number>();
  constructor(private readonly maxKeys: number) {}
  get size(): number {
    return this.entries.size;
  }
  get(key: string): number | undefined {
    return this.entries.get(key);
  }
  delete(key: string): void {
    this.entries.delete(key);
  }
  add(key: string, expiry: number): void {
    this.entries.set(key, expiry);
    while (this.entries.size > this.maxKeys) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }
}

/** A small deterministic generator, so a failure replays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function keyFor(next: () => number, spread: number): string {
  const n = Math.floor(next() * spread);
  switch (n % 5) {
    case 0:
      return `replay:Purchase:${n}`;
    case 1:
      return `replay:${'CustomEventName'.repeat(6)}:${n}`; // longer than a slot holds
    case 2:
      return `replay:Achat:é€${n}😀`; // several UTF-8 bytes per character
    case 3:
      return n % 7 === 0 ? '' : `k${n}`;
    default:
      return `replay:Lead:${'0'.repeat(30 + (n % 40))}${n}`; // around the inline limit
  }
}

describe('KeyTable', () => {
  it('answers like a Map bounded to its oldest keys, through growth, eviction and deletions', () => {
    // Differences are collected and compared once: an expect per step is too slow for 100 000 steps.
    const differences: string[] = [];
    for (const maxKeys of [1, 2, 7, 64, 1000, 5000]) {
      const next = random(maxKeys);
      const table = new KeyTable(maxKeys);
      const reference = new ReferenceTable(maxKeys);
      const spread = maxKeys * 3;
      for (let step = 0; step < 20_000; step++) {
        const key = keyFor(next, spread);
        const roll = next();
        if (roll < 0.15) {
          table.delete(key);
          reference.delete(key);
        } else if (roll < 0.75) {
          // What the replay guard does: a present key answers, an absent one is added.
          if (reference.get(key) === undefined) {
            table.add(key, step);
            reference.add(key, step);
          }
        } else if (reference.get(key) !== undefined) {
          // An expired key seen again: deleted and added as the newest.
          table.delete(key);
          reference.delete(key);
          table.add(key, step + 0.5);
          reference.add(key, step + 0.5);
        }
        if (table.get(key) !== reference.get(key) || table.size !== reference.size) {
          differences.push(`maxKeys ${maxKeys}, step ${step}, key ${key}`);
        }
      }
      for (let n = 0; n < spread; n++) {
        const key = keyFor(() => n / spread, spread);
        if (table.get(key) !== reference.get(key)) differences.push(`maxKeys ${maxKeys}, ${key}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('forgets the oldest keys first', () => {
    const table = new KeyTable(2);
    table.add('a', 1);
    table.add('b', 2);
    table.add('c', 3);
    expect(table.get('a')).toBeUndefined();
    expect(table.get('b')).toBe(2);
    expect(table.get('c')).toBe(3);
  });

  it('stores nothing when bounded to zero keys', () => {
    const table = new KeyTable(0);
    table.add('a', 1);
    expect(table.get('a')).toBeUndefined();
    expect(table.size).toBe(0);
  });
});
