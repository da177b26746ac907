// Checks the published shape of every package under packages/ with publint (exports map, types
// per condition, files). Needs `pnpm build` first; run by `pnpm lint` and CI.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = new URL('../packages/', import.meta.url).pathname;
let failed = 0;
for (const name of await readdir(root)) {
  const pkgDir = join(root, name);
  const pkg = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  const { messages } = await publint({ pkgDir, level: 'warning', strict: true });
  for (const message of messages) {
    console.log(`${pkg.name}: [${message.type}] ${formatMessage(message, pkg)}`);
  }
  failed += messages.length;
  if (messages.length === 0) console.log(`${pkg.name}: publint ok`);
}
process.exit(failed ? 1 : 0);
