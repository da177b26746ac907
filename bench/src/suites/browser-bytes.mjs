/**
 * Suite 1, browser bytes: what a page downloads before its first `track()`. Every contender is an
 * entry file bundled the same way with esbuild (bundle, minify, ESM, browser platform, code
 * splitting so lazy chunks stay lazy); its size is the sum of the initial chunks (the entry and
 * everything it imports statically), each gzipped (level 9) and brotli'd (quality 11) on its own,
 * as a server would send them. Our `<script>` IIFE is measured as shipped in
 * `packages/browser/dist/capi-kit.js`. Sizes are deterministic, so one run is enough.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';
import { importLanded, makeRow, unavailableRow } from '../lib/report.mjs';

const SUITE = '1 browser bytes';
const benchDir = fileURLToPath(new URL('../..', import.meta.url));
// Under node_modules/.cache: ignored by git and Prettier, and bare imports still resolve from it.
const workDir = path.join(benchDir, 'node_modules', '.cache', 'capi-kit-bench', 'browser-bytes');
// The budgets: "full ≤ 4.0 KB, minimal ≤ 2.0 KB" (1 KB = 1024 B here).
const FULL_BUDGET = 4 * 1024;
const MINIMAL_BUDGET = 2 * 1024;

/**
 * gzip/brotli/raw: every chunk the entry emits (lazy ones too: Segment's `load()` imports its core
 * lazily at once, so leaving lazy chunks out would flatter it); initialGzip: the entry chunk and
 * its static imports only.
 * @typedef {{ gzip: number, brotli: number, raw: number, initialGzip: number }} Size
 */

/**
 * @param {Buffer} buffer
 * @returns {{ gzip: number, brotli: number }}
 */
function compressed(buffer) {
  return {
    gzip: zlib.gzipSync(buffer, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(buffer, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buffer.length,
      },
    }).length,
  };
}

// Peers as their READMEs install them for the npm path, each doing one conversion, so the bundler
// keeps what a real page keeps. Versions are pinned in pnpm-workspace.yaml's catalog.
const PEERS = {
  'walkerOS (collector + browser source)': `
    import { startFlow } from '@walkeros/collector';
    import { sourceBrowser } from '@walkeros/web-source-browser';
    const { elb } = await startFlow({ sources: { browser: { code: sourceBrowser } } });
    elb('order complete', { id: 'A-1', total: 42, currency: 'EUR' });`,
  '@segment/analytics-next': `
    import { AnalyticsBrowser } from '@segment/analytics-next';
    const analytics = AnalyticsBrowser.load({ writeKey: 'bench' });
    analytics.track('Order Completed', { order_id: 'A-1', value: 42, currency: 'EUR' });`,
  '@rudderstack/analytics-js': `
    import { RudderAnalytics } from '@rudderstack/analytics-js';
    const analytics = new RudderAnalytics();
    analytics.load('bench', 'https://dataplane.example');
    analytics.track('Order Completed', { order_id: 'A-1', value: 42, currency: 'EUR' });`,
  'analytics (getanalytics.io)': `
    import Analytics from 'analytics';
    const analytics = Analytics({ app: 'shop' });
    analytics.track('Purchase', { orderId: 'A-1', value: 42, currency: 'EUR' });`,
  'meta-capi-param-builder-clientjs': `
    import clientParamBuilder from 'meta-capi-param-builder-clientjs';
    await clientParamBuilder.processAndCollectAllParams(location.href);
    window.fbq && window.fbq('track', 'Purchase', { value: 42, currency: 'EUR' }, { eventID: crypto.randomUUID() });`,
  '@vercel/analytics': `
    import { inject, track } from '@vercel/analytics';
    inject();
    track('Purchase', { orderId: 'A-1', value: 42 });`,
};

const MINIMAL_ENTRY = `
  import { createTracker } from '@capi-kit/browser';
  import { metaPixel } from '@capi-kit/browser/meta';
  const tracker = createTracker({ endpoint: '/e', pixels: [metaPixel({ pixelId: '123' })] });
  tracker.track('Purchase', { value: 42, currency: 'EUR', orderId: 'A-1' });`;

/**
 * Bundles one entry and measures its initial chunks.
 * @param {string} name
 * @param {string} source
 * @returns {Promise<Size>}
 */
async function bundleSize(name, source) {
  const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  const entry = path.join(workDir, `${slug}.entry.mjs`);
  const outdir = path.join(workDir, slug);
  await writeFile(entry, source);
  const result = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: benchDir,
    bundle: true,
    minify: true,
    format: 'esm',
    splitting: true,
    platform: 'browser',
    target: 'es2022',
    outdir,
    metafile: true,
    write: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const missing = result.warnings.find((warning) =>
    /No matching export|is not exported/.test(warning.text),
  );
  if (missing) throw new Error(`${name}: ${missing.text}`);
  const outputs = result.metafile.outputs;
  const entryOutput = Object.keys(outputs).find((file) => outputs[file].entryPoint);
  if (!entryOutput) throw new Error(`esbuild produced no entry chunk for ${name}`);
  // Initial = the entry chunk plus every chunk it reaches through static imports.
  const initial = new Set();
  const pending = [entryOutput];
  while (pending.length > 0) {
    const file = /** @type {string} */ (pending.pop());
    if (initial.has(file) || !file.endsWith('.js')) continue;
    initial.add(file);
    for (const imported of outputs[file].imports) {
      if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
    }
  }
  /** @type {Size} */
  const size = { gzip: 0, brotli: 0, raw: 0, initialGzip: 0 };
  for (const file of Object.keys(outputs)) {
    if (!file.endsWith('.js')) continue;
    const buffer = await readFile(path.join(benchDir, file));
    const { gzip, brotli } = compressed(buffer);
    size.gzip += gzip;
    size.brotli += brotli;
    size.raw += buffer.length;
    if (initial.has(file)) size.initialGzip += gzip;
  }
  return size;
}

/**
 * Our `<script>` file as shipped, or undefined when it is not built yet.
 * @returns {Promise<Size | undefined>}
 */
async function scriptSize() {
  let file;
  try {
    file = fileURLToPath(import.meta.resolve('@capi-kit/browser/script'));
    const buffer = await readFile(file);
    const { gzip, brotli } = compressed(buffer);
    return { gzip, brotli, raw: buffer.length, initialGzip: gzip };
  } catch {
    return undefined;
  }
}

/**
 * @param {{ quick: boolean, log: (line: string) => void }} context
 * @returns {Promise<import('../lib/report.mjs').Row[]>}
 */
export async function run(context) {
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  const floorSource = await readFile(new URL('../fixtures/floor.js', import.meta.url), 'utf8');
  const floor = await bundleSize('floor', floorSource);
  context.log(`floor: ${floor.gzip} B gzip, ${floor.brotli} B brotli`);

  /** @type {Record<string, Size>} */
  const peers = {};
  for (const [name, source] of Object.entries(PEERS)) {
    peers[name] = await bundleSize(name, source);
    context.log(
      `${name}: ${peers[name].gzip} B gzip (initial chunks ${peers[name].initialGzip} B)`,
    );
  }

  /** @type {import('../lib/report.mjs').Row[]} */
  const rows = [];
  const floorName = 'hand-written floor';
  const script = await scriptSize();
  if (script) {
    rows.push(
      makeRow({
        suite: SUITE,
        metric: '<script> IIFE, all adapters, min+gzip',
        ours: script.gzip,
        baseline: floor.gzip,
        baselineName: floorName,
        goal: '≤ 4.0 KB',
        pass: script.gzip <= FULL_BUDGET,
        unit: 'B',
      }),
      makeRow({
        suite: SUITE,
        metric: '<script> IIFE, all adapters, min+brotli',
        ours: script.brotli,
        baseline: floor.brotli,
        baselineName: floorName,
        unit: 'B',
      }),
    );
  } else {
    rows.push(
      unavailableRow(
        SUITE,
        '<script> IIFE, all adapters, min+gzip',
        'packages/browser/dist/capi-kit.js is not built',
        {
          baseline: floor.gzip,
          baselineName: floorName,
          goal: '≤ 4.0 KB',
          unit: 'B',
        },
      ),
    );
  }

  /** @type {Size | undefined} */
  let minimal;
  try {
    // An empty stub module bundles silently to `void 0`, so check the exports exist first.
    await importLanded('@capi-kit/browser', ['createTracker']);
    await importLanded('@capi-kit/browser/meta', ['metaPixel']);
    minimal = await bundleSize('capi-kit minimal', MINIMAL_ENTRY);
  } catch (error) {
    // Until the browser package exports createTracker/metaPixel, esbuild cannot resolve them.
    context.log(`minimal ESM import does not bundle yet: ${String(error).split('\n')[0]}`);
  }
  if (minimal) {
    rows.push(
      makeRow({
        suite: SUITE,
        metric: 'ESM createTracker + metaPixel, min+gzip',
        ours: minimal.gzip,
        baseline: floor.gzip,
        baselineName: floorName,
        goal: '≤ 2.0 KB',
        pass: minimal.gzip <= MINIMAL_BUDGET,
        unit: 'B',
      }),
      makeRow({
        suite: SUITE,
        metric: 'ESM createTracker + metaPixel, min+brotli',
        ours: minimal.brotli,
        baseline: floor.brotli,
        baselineName: floorName,
        unit: 'B',
      }),
    );
  } else {
    rows.push(
      unavailableRow(
        SUITE,
        'ESM createTracker + metaPixel, min+gzip',
        '@capi-kit/browser does not export createTracker/metaPixel yet',
        {
          baseline: floor.gzip,
          baselineName: floorName,
          goal: '≤ 2.0 KB',
          unit: 'B',
        },
      ),
    );
  }
  for (const [name, size] of Object.entries(peers)) {
    const note = `peer: brotli ${size.brotli} B, initial chunks ${size.initialGzip} B gzip`;
    rows.push(
      minimal
        ? makeRow({
            suite: SUITE,
            metric: 'ESM minimal vs peer, min+gzip',
            ours: minimal.gzip,
            baseline: size.gzip,
            baselineName: name,
            unit: 'B',
            note,
          })
        : unavailableRow(
            SUITE,
            'ESM minimal vs peer, min+gzip',
            `our minimal import does not bundle yet (${note})`,
            {
              baseline: size.gzip,
              baselineName: name,
              unit: 'B',
            },
          ),
    );
  }
  return rows;
}
