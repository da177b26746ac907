/**
 * A small memo for per-request answers that depend only on a repeated header value (a user agent,
 * a page origin, a host name). Bounded: when full it starts over, so a flood of distinct values
 * costs at most `capacity` entries and the recomputation the cache was saving, never memory.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(key, value);
  }
}
