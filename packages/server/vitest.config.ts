import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared';

// Every test file runs with the log-capture setup, which fails the file if a raw e-mail, phone
// number or access token was logged.
export default defineConfig(
  sharedTestConfig(import.meta.dirname, {
    setupFiles: ['./src/test-support/log-capture.setup.ts'],
  }),
);
