import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared';

// Fast unit tests only; the Chromium suite has its own config (vitest.e2e.config.ts).
export default defineConfig(
  sharedTestConfig(import.meta.dirname, {
    include: ['lib/**/*.test.ts'],
  }),
);
