import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared';

// The same suite runs twice: under Node and under happy-dom, because core ships to both.
const base = sharedTestConfig(import.meta.dirname);
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    projects: [
      { extends: true, test: { name: 'node', environment: 'node' } },
      { extends: true, test: { name: 'happy-dom', environment: 'happy-dom' } },
    ],
  },
});
