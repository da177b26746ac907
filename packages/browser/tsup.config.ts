import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    meta: 'src/pixels/meta.ts',
    google: 'src/pixels/google.ts',
    tiktok: 'src/pixels/tiktok.ts',
    snapchat: 'src/pixels/snapchat.ts',
    pinterest: 'src/pixels/pinterest.ts',
    reddit: 'src/pixels/reddit.ts',
    linkedin: 'src/pixels/linkedin.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2020',
  platform: 'browser',
});
