import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared';

// Real Chromium against the real Express app and the fake platforms: one file at a time, so two
// browsers never compete for the two shared cores.
export default defineConfig(
  sharedTestConfig(import.meta.dirname, {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
  }),
);
