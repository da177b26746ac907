// What each default feature of the browser SDK costs in bytes: the size test's two bundles, built
// again with one feature module replaced by a no-op. `node scripts/feature-costs.mjs` prints the
// table the README's "Bundle size" section quotes (esbuild minify, es2020, gzip level 9).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Each feature's module and the no-op that keeps the rest of the code compiling. */
const noOps = {
  'IAB TCF': [
    /src\/consent\.ts$/,
    'export const watchTcf=()=>{};export const withoutPersonalData=(u)=>u;',
  ],
  'first-party _fbp/_fbc': [/src\/identifiers\.ts$/, 'export const firstPartyIds=()=>({});'],
  outbox: [/src\/transport\/outbox\.ts$/, 'export const keep=()=>{};export const takeAll=()=>[];'],
  transport: [
    /src\/transport\/beacon-transport\.ts$/,
    "export const onHide=(f)=>addEventListener('pagehide',f);" +
      'export const createBeaconTransport=(o)=>({send:(e)=>navigator.sendBeacon(o.endpoint,JSON.stringify({v:1,events:[e]})),flush:async()=>{}});',
  ],
};

const bundles = {
  'ESM createTracker + metaPixel': {
    format: 'esm',
    stdin: {
      contents:
        "import { createTracker } from '@capi-kit/browser';" +
        "import { metaPixel } from '@capi-kit/browser/meta';" +
        "export const tracker = createTracker({ endpoint: '/e', pixels: [metaPixel({ pixelId: '1' })] });",
      resolveDir: root,
      loader: 'js',
    },
  },
  '<script>, 7 pixels': { format: 'iife', entryPoints: ['src/script.ts'] },
};

async function gzipBytes(features, options) {
  const plugin = {
    name: 'no-op-features',
    setup(builder) {
      for (const feature of features) {
        const [filter, contents] = noOps[feature];
        builder.onLoad({ filter }, () => ({ contents, loader: 'js' }));
      }
    },
  };
  const result = await build({
    absWorkingDir: root,
    bundle: true,
    minify: true,
    write: false,
    platform: 'browser',
    target: 'es2020',
    conditions: ['@capi-kit/source'],
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [plugin],
    ...options,
  });
  return gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
}

const rows = [[], ...Object.keys(noOps).map((feature) => [feature]), Object.keys(noOps)];
console.log(['left out', ...Object.keys(bundles)].join(' | '));
for (const features of rows) {
  const sizes = [];
  for (const options of Object.values(bundles))
    sizes.push(`${await gzipBytes(features, options)} B`);
  console.log([features.join(' + ') || 'nothing', ...sizes].join(' | '));
}
