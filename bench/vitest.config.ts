import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../vitest.shared';

// Unit tests of the benchmark's own helpers and fixtures (never timings: speed is what `pnpm bench`
// reports, not what a test asserts). Workspace packages resolve to their sources here.
export default defineConfig(sharedTestConfig(import.meta.dirname));
