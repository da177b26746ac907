// Builds the `<script>` file, dist/capi-kit.js: one minified, self-contained IIFE (core bundled in).
// Runs after tsup (whose `clean` empties dist/). The size test bundles with the same options.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['src/script.ts'],
  outfile: 'dist/capi-kit.js',
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  // Bundle workspace packages from their sources, so the file does not depend on their build.
  conditions: ['@capi-kit/source'],
  legalComments: 'none',
  logLevel: 'warning',
});
