/**
 * Shared vitest settings. Every package's `vitest.config.ts` calls `sharedTestConfig()` so that
 * workspace packages resolve to their TypeScript sources (no build needed before tests) and so that
 * `.ci/run` can sum the JSON reports into one `N passed, N failed` line.
 */
import { basename } from 'node:path';
import type { ViteUserConfig } from 'vitest/config';

export function sharedTestConfig(
  packageDir: string,
  test: NonNullable<ViteUserConfig['test']> = {},
): ViteUserConfig {
  const reportDir = process.env.CAPI_KIT_REPORT_DIR;
  const suffix = process.env.CAPI_KIT_REPORT_SUFFIX ?? 'unit';
  return {
    resolve: { conditions: ['@capi-kit/source'] },
    ssr: { resolve: { conditions: ['@capi-kit/source'] } },
    test: {
      reporters: reportDir
        ? [
            'default',
            ['json', { outputFile: `${reportDir}/${basename(packageDir)}-${suffix}.json` }],
          ]
        : ['default'],
      testTimeout: 20_000,
      hookTimeout: 30_000,
      ...test,
    },
  };
}
