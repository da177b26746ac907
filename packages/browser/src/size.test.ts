// @vitest-environment node
/**
 * Bundle size (issue 4): bundled and minified with esbuild like the real builds, then gzipped.
 * Deterministic: same sources, same bytes.
 *
 * The product's budget is 4.0 KB for the full IIFE and 2.0 KB for `createTracker` + `metaPixel`.
 * With the features issue 4 requires by default the bundles are over it (5 843 B and 3 489 B; the
 * README's "Bundle size" has what each feature costs), so this test holds the line where we are:
 * a CEILING just above today's size that fails on any regression, and it prints the distance to
 * the budget. When the budget is reached, set CEILING to BUDGET.
 */
import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

const BUDGET = { iife: 4096, esm: 2048 };
const CEILING = { iife: 5850, esm: 3495 };

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  write: false,
  platform: 'browser',
  target: 'es2020',
  conditions: ['@capi-kit/source'],
  legalComments: 'none',
  logLevel: 'silent',
};

async function minGzipBytes(options: BuildOptions): Promise<{ min: number; gzip: number }> {
  const result = await build({ ...common, ...options, metafile: true });
  const code = result.outputFiles![0]!.contents;
  // Where the minified bytes come from, so a failure says which package to slim.
  const inputs = Object.values(result.metafile!.outputs)[0]!.inputs;
  let core = 0;
  let own = 0;
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    if (path.includes('core/src/')) core += bytesInOutput;
    else own += bytesInOutput;
  }
  console.log(`  minified bytes: @capi-kit/core ${core}, @capi-kit/browser ${own}`);
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

describe('bundle size', () => {
  it('keeps the full <script> IIFE with all seven pixels under its ceiling (budget 4.0 KB)', async () => {
    const size = await minGzipBytes({ entryPoints: ['src/script.ts'], format: 'iife' });
    console.log(
      `capi-kit.js (IIFE, 7 pixels): ${size.min} B min, ${size.gzip} B min+gzip ` +
        `(ceiling ${CEILING.iife}, budget ${BUDGET.iife}: ${size.gzip - BUDGET.iife} B over)`,
    );
    expect(size.gzip).toBeLessThanOrEqual(CEILING.iife);
  });

  it('keeps an ESM import of createTracker + metaPixel under its ceiling (budget 2.0 KB)', async () => {
    const size = await minGzipBytes({
      format: 'esm',
      stdin: {
        contents: [
          "import { createTracker } from '@capi-kit/browser';",
          "import { metaPixel } from '@capi-kit/browser/meta';",
          "export const tracker = createTracker({ endpoint: '/e', pixels: [metaPixel({ pixelId: '1' })] });",
        ].join('\n'),
        resolveDir: root,
        loader: 'js',
      },
    });
    console.log(
      `createTracker + metaPixel (ESM): ${size.min} B min, ${size.gzip} B min+gzip ` +
        `(ceiling ${CEILING.esm}, budget ${BUDGET.esm}: ${size.gzip - BUDGET.esm} B over)`,
    );
    expect(size.gzip).toBeLessThanOrEqual(CEILING.esm);
  });
});
