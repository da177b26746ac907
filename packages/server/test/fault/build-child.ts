/**
 * Builds the relay child-process fixture into one ESM file the fault tests can `spawn` with plain
 * `node`: no TypeScript loader is installed and the package's `dist` may be stale or missing on a
 * clean clone, so the test bundles the current sources itself with esbuild (tsup's own copy, so no
 * new dependency), resolving workspace packages to `src/` through the `@capi-kit/source` condition.
 * The native drivers stay external; the bundle is written under `packages/server/node_modules` so
 * Node resolves them from the package's own dependencies.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<{ errors: unknown[] }>;
}

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(here, '../..');

function loadEsbuild(): EsbuildLike {
  const requireHere = createRequire(import.meta.url);
  try {
    return requireHere('esbuild') as EsbuildLike;
  } catch {
    // tsup (a devDependency of this package) depends on esbuild; borrow its copy.
    return createRequire(requireHere.resolve('tsup'))('esbuild') as EsbuildLike;
  }
}

/**
 * Bundles one entry the way tsup does for the published package (esbuild, `platform: node`, no
 * `require` banner), into a fresh cache directory; for tests of the shipped ESM/CJS shapes.
 */
export async function bundleEntry(
  entry: string,
  format: 'esm' | 'cjs',
  external: string[],
): Promise<BuiltChild> {
  const directory = join(
    packageRoot,
    'node_modules',
    '.cache',
    'capi-kit-bundle',
    `${process.pid}-${Math.random().toString(36).slice(2)}`,
  );
  mkdirSync(directory, { recursive: true });
  const file = join(directory, format === 'esm' ? 'entry.mjs' : 'entry.cjs');
  const result = await loadEsbuild().build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format,
    target: 'es2022',
    conditions: ['@capi-kit/source'],
    external,
    logLevel: 'silent',
  });
  if (result.errors.length > 0) throw new Error(`could not bundle ${entry}`);
  return { file, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/** A built fixture and how to remove it. */
export interface BuiltChild {
  file: string;
  remove(): void;
}

/** Bundles `fixtures/relay-child.ts` into a fresh directory and returns the file to run. */
export async function buildRelayChild(): Promise<BuiltChild> {
  const directory = join(
    packageRoot,
    'node_modules',
    '.cache',
    'capi-kit-fault',
    `${process.pid}-${Math.random().toString(36).slice(2)}`,
  );
  mkdirSync(directory, { recursive: true });
  const file = join(directory, 'relay-child.mjs');
  const result = await loadEsbuild().build({
    entryPoints: [join(here, 'fixtures', 'relay-child.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@capi-kit/source'],
    external: ['better-sqlite3', 'ioredis'],
    // Bundled CommonJS dependencies call `require`; give the ESM bundle a real one.
    banner: {
      js: "import { createRequire as __capiKitCreateRequire } from 'node:module'; const require = __capiKitCreateRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  if (result.errors.length > 0) throw new Error('could not build the relay child fixture');
  return { file, remove: () => rmSync(directory, { recursive: true, force: true }) };
}
