import { build, type BuildOptions } from 'esbuild';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Bundles core the way a browser build and a Node build would, straight from source, and checks
// which SHA-256 implementation the `#sha256` import map hands each of them.
// `import.meta.dirname`, not `import.meta.url`: under happy-dom the latter is not a file URL.
const packageDir = resolve(import.meta.dirname, '../..');

async function bundle(options: BuildOptions): Promise<string> {
  const result = await build({
    stdin: {
      contents: "export { sha256Hex, hashUserData, parseCollectPayload } from '@capi-kit/core';",
      resolveDir: packageDir,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    conditions: ['@capi-kit/source'],
    logLevel: 'silent',
    ...options,
  });
  return result.outputFiles![0]!.text;
}

describe('#sha256 selection', () => {
  it('gives a browser bundle the WebCrypto implementation and never node:crypto', async () => {
    const code = await bundle({ platform: 'browser' });
    expect(code).toContain('crypto.subtle.digest');
    expect(code).not.toContain('node:crypto');
  });

  it('gives an edge/neutral bundle (no node condition) the WebCrypto implementation', async () => {
    const code = await bundle({ platform: 'neutral', mainFields: ['module', 'main'] });
    expect(code).toContain('crypto.subtle.digest');
    expect(code).not.toContain('node:crypto');
  });

  it('gives a Node bundle the node:crypto implementation and no WebCrypto digest', async () => {
    const code = await bundle({ platform: 'node' });
    expect(code).toContain('node:crypto');
    expect(code).not.toContain('crypto.subtle.digest');
  });
});
