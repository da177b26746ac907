#!/usr/bin/env node
// `pnpm demo`: builds the capi-kit packages the shop imports (turbo caches them, so a second run
// is quick), then starts the Next.js shop on http://localhost:3000 (PORT overrides).
//
// Development mode by default: measured here, `next dev` answers the first page about 7 s after
// the packages are built, where `next build` + `next start` needs about 30 s more, and the
// newcomer's first run should be ready within a minute. `pnpm demo --production` builds and
// serves the production app instead (what the e2e test runs).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(appDir, '..', '..');
const production = process.argv.includes('--production');
const port = process.env.PORT || '3000';
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  PORT: port,
  NODE_ENV: production ? 'production' : 'development',
};

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
  if (production) {
    console.log('\n> Building the demo shop (next build)…');
    await run('pnpm', ['exec', 'next', 'build'], appDir);
  }
} catch (error) {
  console.error(`\n${error.message}`);
  process.exit(1);
}

console.log(`\n> Starting the demo shop (${production ? 'next start' : 'next dev'})…`);
const server = spawn('pnpm', ['exec', 'next', production ? 'start' : 'dev', '--port', port], {
  cwd: appDir,
  env,
  stdio: ['inherit', 'pipe', 'inherit'],
});

// Next answers only once the first page is compiled (dev) or loaded; warm it up so the URL printed
// below opens at once, then print it.
async function announceWhenReady() {
  const url = `http://localhost:${port}`;
  for (let attempt = 0; attempt < 240 && server.exitCode === null; attempt += 1) {
    try {
      const response = await fetch(url);
      if (response.ok) {
        const seconds = Math.round((Date.now() - started) / 1000);
        console.log(
          `\n  capi-kit demo shop:  ${url}\n  event inspector:     ${url}/inspector\n  (ready in ${seconds} s; Ctrl-C to stop)\n`,
        );
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

server.stdout.on('data', (chunk) => process.stdout.write(chunk));
void announceWhenReady();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code) => process.exit(code ?? 0));
