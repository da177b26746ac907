/**
 * The replay guard's memory: a bounded set of string keys, each with an expiry, oldest forgotten
 * first, kept in typed arrays instead of a `Map<string, number>`. A busy relay holds its full
 * 100 000 replay keys for 48 h; as `Map` entries and strings they are the largest live set of the
 * process (~13 MB), and V8 sizes the whole JS heap at several times what survives a collection, so
 * they cost ~4× their size in RSS. In typed arrays they take their size once (~10 MB at 100 000
 * keys), outside the heap the garbage collector sizes and walks.
 *
 * Layout: entries sit in a ring in insertion order (a key seen again after it expired is deleted
 * and added anew, so it becomes the newest, as with a `Map`); an open-addressing hash index
 * (linear probing, deletion by backward shift, so no tombstones) maps a key to its slot. Keys up to
 * `INLINE_KEY_BYTES` of UTF-8 are stored in the slot; longer ones as strings in a side map. The
 * ring grows by doubling up to `maxKeys` plus some slack, and is compacted when deletions in its
 * middle (`forget`, an expired key seen again) leave it full of holes.
 */

/** `replay:` + a standard event name + `:` + a UUID fits. */
const INLINE_KEY_BYTES = 64;
const FREE = 0;
const INLINE = 1;
const LONG = 2;
const INITIAL_SLOTS = 1024;

const encoder = new TextEncoder();

/** FNV-1a over the UTF-16 code units. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export class KeyTable {
  private readonly maxKeys: number;
  private readonly maxSlots: number;
  private slots = 0;
  private states = new Uint8Array(0);
  private lengths = new Uint8Array(0);
  private hashes = new Int32Array(0);
  private expiries = new Float64Array(0);
  private bytes = new Uint8Array(0);
  private longKeys = new Map<number, string>();
  /** Slot + 1 per position, 0 when empty. */
  private index = new Int32Array(0);
  private mask = 0;
  /** The oldest occupied slot, and how many slots from it on are occupied (live or freed). */
  private tail = 0;
  private used = 0;
  private live = 0;
  private readonly scratch = new Uint8Array(INLINE_KEY_BYTES);
  /** The key last encoded into `scratch`: its byte length, or -1 when it does not fit inline. */
  private scratchLength = -1;

  /** `maxKeys` as `Map` code bounds it (`while (map.size > maxKeys)`): NaN bounds nothing. */
  constructor(maxKeys: number) {
    this.maxKeys = Number.isNaN(maxKeys)
      ? Number.POSITIVE_INFINITY
      : Math.max(0, Math.floor(maxKeys));
    this.maxSlots = this.maxKeys + Math.max(1, Math.ceil(this.maxKeys / 8));
    this.relayout(Math.min(this.maxSlots, INITIAL_SLOTS));
  }

  get size(): number {
    return this.live;
  }

  /** The expiry stored with `key`, or undefined. */
  get(key: string): number | undefined {
    const position = this.find(key, hashOf(key));
    return position < 0 ? undefined : this.expiries[this.index[position]! - 1];
  }

  /** Removes `key` if present. */
  delete(key: string): void {
    const position = this.find(key, hashOf(key));
    if (position < 0) return;
    const slot = this.index[position]! - 1;
    this.removeFromIndex(position);
    this.free(slot);
  }

  /** Adds `key` (which must be absent) as the newest entry, forgetting the oldest beyond `maxKeys`. */
  add(key: string, expiry: number): void {
    if (this.maxKeys === 0) return;
    const hash = hashOf(key);
    this.encode(key);
    if (this.live >= this.maxKeys) this.evictOldest();
    if (this.used === this.slots) {
      this.skipFreedTail();
      if (this.used === this.slots) {
        // Grow while mostly live; otherwise compaction alone frees at least half the ring (or,
        // at full size, the slack), so this O(n) step stays rare.
        const grow = this.live * 2 >= this.slots && this.slots < this.maxSlots;
        this.relayout(grow ? Math.min(this.maxSlots, this.slots * 2) : this.slots);
      }
    }
    const slot = (this.tail + this.used) % this.slots;
    this.used++;
    this.live++;
    this.hashes[slot] = hash;
    this.expiries[slot] = expiry;
    if (this.scratchLength >= 0) {
      this.states[slot] = INLINE;
      this.lengths[slot] = this.scratchLength;
      this.bytes.set(this.scratch.subarray(0, this.scratchLength), slot * INLINE_KEY_BYTES);
    } else {
      this.states[slot] = LONG;
      this.longKeys.set(slot, key);
    }
    this.insertIntoIndex(slot, hash);
  }

  /** Encodes `key` into `scratch` and records whether it fits there. */
  private encode(key: string): void {
    // Every UTF-16 unit takes at most 3 bytes: a key that long cannot fit.
    if (key.length > INLINE_KEY_BYTES) {
      this.scratchLength = -1;
      return;
    }
    const { read, written } = encoder.encodeInto(key, this.scratch);
    this.scratchLength = read === key.length ? written : -1;
  }

  private find(key: string, hash: number): number {
    this.encode(key);
    let position = hash & this.mask;
    for (;;) {
      const entry = this.index[position]!;
      if (entry === 0) return -1;
      const slot = entry - 1;
      if (this.hashes[slot] === hash && this.holds(slot, key)) return position;
      position = (position + 1) & this.mask;
    }
  }

  /** Whether `slot` holds `key` (already encoded into `scratch`). */
  private holds(slot: number, key: string): boolean {
    if (this.states[slot] === LONG) return this.longKeys.get(slot) === key;
    const length = this.scratchLength;
    if (length < 0 || this.lengths[slot] !== length) return false;
    const start = slot * INLINE_KEY_BYTES;
    for (let i = 0; i < length; i++) {
      if (this.bytes[start + i] !== this.scratch[i]) return false;
    }
    return true;
  }

  private evictOldest(): void {
    this.skipFreedTail();
    const slot = this.tail;
    let position = this.hashes[slot]! & this.mask;
    while (this.index[position] !== slot + 1) position = (position + 1) & this.mask;
    this.removeFromIndex(position);
    this.free(slot);
    this.skipFreedTail();
  }

  private free(slot: number): void {
    if (this.states[slot] === LONG) this.longKeys.delete(slot);
    this.states[slot] = FREE;
    this.live--;
  }

  private skipFreedTail(): void {
    while (this.used > 0 && this.states[this.tail] === FREE) {
      this.tail = (this.tail + 1) % this.slots;
      this.used--;
    }
  }

  private insertIntoIndex(slot: number, hash: number): void {
    let position = hash & this.mask;
    while (this.index[position] !== 0) position = (position + 1) & this.mask;
    this.index[position] = slot + 1;
  }

  /** Linear-probing deletion: shift back the entries that would no longer be found. */
  private removeFromIndex(position: number): void {
    let hole = position;
    let next = position;
    for (;;) {
      next = (next + 1) & this.mask;
      const entry = this.index[next]!;
      if (entry === 0) break;
      const home = this.hashes[entry - 1]! & this.mask;
      // The entry at `next` may fill the hole unless its home lies cyclically in (hole, next].
      const stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (stays) continue;
      this.index[hole] = entry;
      hole = next;
    }
    this.index[hole] = 0;
  }

  /** Copies the live entries, oldest first, into a ring of `slots` slots and rebuilds the index. */
  private relayout(slots: number): void {
    const states = new Uint8Array(slots);
    const lengths = new Uint8Array(slots);
    const hashes = new Int32Array(slots);
    const expiries = new Float64Array(slots);
    const bytes = new Uint8Array(slots * INLINE_KEY_BYTES);
    const longKeys = new Map<number, string>();
    let count = 0;
    for (let k = 0; k < this.used; k++) {
      const from = (this.tail + k) % this.slots;
      const state = this.states[from]!;
      if (state === FREE) continue;
      states[count] = state;
      lengths[count] = this.lengths[from]!;
      hashes[count] = this.hashes[from]!;
      expiries[count] = this.expiries[from]!;
      if (state === LONG) longKeys.set(count, this.longKeys.get(from)!);
      else {
        const start = from * INLINE_KEY_BYTES;
        bytes.set(this.bytes.subarray(start, start + INLINE_KEY_BYTES), count * INLINE_KEY_BYTES);
      }
      count++;
    }
    let size = 16;
    while (size < slots * 2) size *= 2;
    this.slots = slots;
    this.states = states;
    this.lengths = lengths;
    this.hashes = hashes;
    this.expiries = expiries;
    this.bytes = bytes;
    this.longKeys = longKeys;
    this.index = new Int32Array(size);
    this.mask = size - 1;
    this.tail = 0;
    this.used = count;
    this.live = count;
    for (let slot = 0; slot < count; slot++) this.insertIntoIndex(slot, hashes[slot]!);
  }
}
