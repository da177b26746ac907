import { defineConfig } from 'tsup';

// One entry per subpath export; frameworks and drivers (express, next, better-sqlite3, ioredis)
// stay external as optional peers.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    express: 'src/adapters/express.ts',
    next: 'src/adapters/next.ts',
    meta: 'src/destinations/meta/index.ts',
    google: 'src/destinations/google/index.ts',
    tiktok: 'src/destinations/tiktok/index.ts',
    linkedin: 'src/destinations/linkedin/index.ts',
    reddit: 'src/destinations/reddit/index.ts',
    snapchat: 'src/destinations/snapchat/index.ts',
    pinterest: 'src/destinations/pinterest/index.ts',
    sqlite: 'src/queue/stores/sqlite/index.ts',
    redis: 'src/queue/stores/redis/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
  external: ['express', 'next', 'next/server', 'better-sqlite3', 'ioredis'],
});
