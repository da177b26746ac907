/**
 * The drivers are optional peers loaded at run time with `createRequire`; that has to work in the
 * shapes tsup publishes (an ESM bundle, where esbuild defines a `require` shim that only throws,
 * and a CommonJS bundle, where `import.meta` is empty). Bundles each store entry both ways and
 * loads its driver through it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleEntry } from './build-child';

const stores = join(dirname(fileURLToPath(import.meta.url)), '../../src/queue/stores');
const external = ['better-sqlite3', 'ioredis'];
const requireHere = createRequire(import.meta.url);

type SqliteEntry = typeof import('../../src/queue/stores/sqlite/index');
type RedisEntry = typeof import('../../src/queue/stores/redis/index');

async function load<T>(entry: string, format: 'esm' | 'cjs'): Promise<T> {
  const built = await bundleEntry(join(stores, entry), format, external);
  try {
    return format === 'esm'
      ? ((await import(pathToFileURL(built.file).href)) as T)
      : (requireHere(built.file) as T);
  } finally {
    built.remove();
  }
}

describe.each(['esm', 'cjs'] as const)('published %s bundle', (format) => {
  it('sqliteQueue loads better-sqlite3 and stores an item', async () => {
    const { sqliteQueue } = await load<SqliteEntry>('sqlite/index.ts', format);
    const store = sqliteQueue({ path: ':memory:' });
    await store.enqueue([
      {
        destinationId: 'meta',
        eventId: 'e1',
        eventName: 'Purchase',
        eventTime: 1,
        expiresAt: Date.now() + 60_000,
        payload: { event_id: 'e1' },
      },
    ]);
    expect((await store.counts()).meta?.queued).toBe(1);
    await store.close();
  });

  it('redisQueue loads ioredis', async () => {
    const { loadIoredis } = await load<RedisEntry>('redis/index.ts', format);
    expect(loadIoredis()).toBe(requireHere('ioredis').Redis);
  });
});
