import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared';

export default defineConfig(
  sharedTestConfig(import.meta.dirname, {
    environment: 'happy-dom',
    environmentOptions: {
      // Pixel scripts are never fetched in unit tests: a <script src> "loads" without running, so
      // the adapters' queue stubs stay observable. Tests dispatch `error` themselves for blocking.
      happyDOM: { settings: { handleDisabledFileLoadingAsSuccess: true } },
    },
  }),
);
