import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared';

// The e2e suite builds and starts the real app, then drives Chromium: generous timeouts, one file.
export default defineConfig(
  sharedTestConfig(import.meta.dirname, {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  }),
);
