#!/usr/bin/env node
// `pnpm demo`: builds the capi-kit packages the shop imports (turbo caches them, so a second run is
// quick), then builds and starts the Next.js shop on http://localhost:3000 (PORT overrides).
// A production build rather than `next dev`: it is what the e2e test runs, it has no React
// development double effects that would show every event twice in the inspector, and measured here
// it is ready in about the same time as dev mode's first page compile.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(appDir, '..', '..');
const port = process.env.PORT || '3000';
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', PORT: port };

function run(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? code})`)),
    );
  });
}

const started = Date.now();
try {
  console.log('\n> Building the capi-kit packages the demo uses…');
  await run(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=@capi-kit/demo^...', '--output-logs=errors-only'],
    repoRoot,
  );
  console.log('\n> Building the demo shop (next build)…');
  await run('pnpm', ['exec', 'next', 'build'], appDir);
} catch (error) {
  console.error(`\n${error.message}`);
  process.exit(1);
}

const server = spawn('pnpm', ['exec', 'next', 'start', '--port', port], {
  cwd: appDir,
  env,
  stdio: ['inherit', 'pipe', 'inherit'],
});
let announced = false;
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /ready|started/i.test(String(chunk))) {
    announced = true;
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(
      `\n  capi-kit demo shop:  http://localhost:${port}\n  event inspector:     http://localhost:${port}/inspector\n  (ready in ${seconds} s; Ctrl-C to stop)\n`,
    );
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code) => process.exit(code ?? 0));
