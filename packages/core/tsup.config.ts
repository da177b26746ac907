import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node.ts',
    // The two `#sha256` implementations are separate files so the package `imports` map can pick
    // one per runtime; the index bundle keeps `#sha256` external for that reason.
    'hash/sha256-node': 'src/hash/sha256-node.ts',
    'hash/sha256-web': 'src/hash/sha256-web.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', node: 'src/node.ts' } },
  external: ['#sha256'],
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
