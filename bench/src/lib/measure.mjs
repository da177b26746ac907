/**
 * Measuring helpers shared by every suite. The machines are shared and noisy, so a number is
 * never one run: each measure is repeated, ours and the baseline interleaved in the same rounds,
 * and the median is what gets reported (and the ratio of medians).
 */
import { performance } from 'node:perf_hooks';

/**
 * The median of some numbers (the mean of the two middle ones for an even count).
 * @param {number[]} values
 * @returns {number}
 */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** CPU time (user + system) this process has used, in ms. */
export function cpuMs() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * Runs `operation` back to back for at least `minMs` of wall time (and at least `minOps` times)
 * and returns operations per second. `operation` may be sync or async; an async one is awaited
 * each time, so the rate includes its asynchronous work.
 *
 * With `clock: 'cpu'` the rate is per second of this process's CPU time instead of wall time:
 * on a machine shared with other work, time spent waiting for a core is then not charged to the
 * contender. Only right for work that runs entirely in this process (no I/O wait, no server in
 * another process); it also counts V8's GC helper threads, which is fair, they work for us.
 * @param {() => unknown} operation
 * @param {{ minMs: number, minOps?: number, batch?: number, clock?: 'wall' | 'cpu' }} options
 * @returns {Promise<number>}
 */
export async function opsPerSecond(operation, { minMs, minOps = 1, batch = 1, clock = 'wall' }) {
  let count = 0;
  const start = performance.now();
  const startCpu = cpuMs();
  let elapsed = 0;
  while (elapsed < minMs || count < minOps) {
    for (let index = 0; index < batch; index += 1) {
      const result = operation();
      if (result && typeof (/** @type {any} */ (result).then) === 'function') await result;
    }
    count += batch;
    elapsed = performance.now() - start;
  }
  const spent = clock === 'cpu' ? cpuMs() - startCpu : elapsed;
  return (count * 1000) / spent;
}

/**
 * Measures several contenders in interleaved rounds (A B C, A B C, …) so that a noisy moment on
 * the machine hurts all of them alike; returns the median of each contender's samples.
 * @template {string} K
 * @param {Record<K, () => Promise<number>>} contenders each returns one sample
 * @param {number} rounds
 * @returns {Promise<Record<K, { median: number, samples: number[] }>>}
 */
export async function interleaved(contenders, rounds) {
  /** @type {Record<string, number[]>} */
  const samples = {};
  for (const name of Object.keys(contenders)) samples[name] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, sample] of Object.entries(contenders)) {
      samples[name].push(await /** @type {() => Promise<number>} */ (sample)());
    }
  }
  /** @type {Record<string, { median: number, samples: number[] }>} */
  const result = {};
  for (const [name, values] of Object.entries(samples)) {
    result[name] = { median: median(values), samples: values };
  }
  return /** @type {Record<K, { median: number, samples: number[] }>} */ (result);
}

/**
 * Rounds for display and JSON: 3 significant digits, integers kept whole.
 * @param {number | null | undefined} value
 * @returns {number | null}
 */
export function round(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  if (Math.abs(value) >= 1000) return Math.round(value);
  return Number(value.toPrecision(3));
}

/** Lets pending timers and I/O run (a GC-friendly pause between measures). */
export function settle(ms = 50) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
