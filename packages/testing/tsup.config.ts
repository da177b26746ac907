import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', chromium: 'src/chromium.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
  external: ['playwright-core'],
});
