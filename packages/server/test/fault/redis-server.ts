/**
 * Starts a real, throwaway `redis-server` for tests: daemonized on a free loopback port, its data
 * dir and pid file in a temp dir, stopped by that pid. Persistence is off unless asked for
 * (`appendOnly: true`, for the restart test). When `redis-server` is not installed, tests FAIL
 * under CI (`process.env.CI`) and are skipped locally with a loud message: a suite must never
 * pass in CI by running nothing (TOOLCHAIN trap 4).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The path of `redis-server`, or undefined if it is not installed. */
export function findRedisServer(): string | undefined {
  for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    const found = execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
    return found.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether Redis tests can run here. Throws under CI when `redis-server` is missing (the test file
 * then fails to load, which fails the run); locally prints why the tests are skipped.
 */
export function redisServerAvailable(suite: string): boolean {
  if (findRedisServer()) return true;
  const message = `redis-server is not installed: ${suite} needs it (apt-get install -y --no-install-recommends redis-server)`;
  if (process.env.CI) throw new Error(`${message}. Failing because CI is set.`);
  console.warn(`\n!!!!! SKIPPING ${suite}: ${message} !!!!!\n`);
  return false;
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released for the server to take). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The `process_id` of the Redis answering on `port`, or undefined if none answers. */
function serverPid(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (pid: number | undefined) => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(1_000, () => done(undefined));
    socket.on('error', () => done(undefined));
    socket.on('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      const match = /process_id:(\d+)/.exec(reply);
      if (match) done(Number(match[1]));
      else if (reply.startsWith('-')) done(undefined);
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`redis-server: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface RedisServerOptions {
  /** Turn AOF persistence on (`appendonly yes`, `appendfsync always`) so data survives a restart. */
  appendOnly?: boolean;
  /** Try this port first (default: a free one). */
  port?: number;
}

/** A running test Redis. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** The pid of the running server (changes after `restart`). */
  readonly pid: number;
  /** Kills the server (SIGKILL: no chance to save anything beyond what it already wrote). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data dir (after `kill`). */
  start(): Promise<void>;
  /** Stops the server by its pid and removes its data dir. */
  stop(): Promise<void>;
}

/** Starts `redis-server` daemonized on a free loopback port. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = findRedisServer();
  if (!binary) throw new Error('redis-server is not installed');
  const directory = mkdtempSync(join(tmpdir(), 'capi-kit-redis-'));
  const pidFile = join(directory, 'redis.pid');
  let port = options.port ?? (await freePort());
  let pid = 0;

  async function start(): Promise<void> {
    rmSync(pidFile, { force: true });
    await run(binary as string, [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--daemonize',
      'yes',
      '--pidfile',
      pidFile,
      '--dir',
      directory,
      '--logfile',
      join(directory, 'redis.log'),
      '--save',
      '',
      '--appendonly',
      options.appendOnly ? 'yes' : 'no',
      '--appendfsync',
      'always',
    ]);
    // Redis starts in milliseconds; a short wait fails a lost port race fast enough to retry.
    const pidInFile = () =>
      existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) || 0 : 0;
    await waitFor(() => pidInFile() > 0, 'its pid file', 5_000);
    const started = pidInFile();
    // The server answering must be this one, not another test's that won the port.
    await waitFor(async () => (await serverPid(port)) === started, 'it to answer', 5_000);
    pid = started;
  }

  async function kill(): Promise<void> {
    if (pid && alive(pid)) {
      process.kill(pid, 'SIGKILL');
      await waitFor(() => !alive(pid), 'the process to exit');
    }
  }

  // The free port is released before redis-server takes it; another test file starting its own
  // server at the same moment can win the race. Try a few ports before giving up.
  for (let attempt = 1; ; attempt++) {
    try {
      await start();
      break;
    } catch (error) {
      // Whatever started and did not answer as expected is ours to end.
      const stray = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
      if (stray && alive(stray)) process.kill(stray, 'SIGKILL');
      if (attempt >= 3) throw error;
      port = await freePort();
    }
  }
  return {
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get pid() {
      return pid;
    },
    kill,
    start,
    async stop() {
      if (pid && alive(pid)) {
        process.kill(pid, 'SIGTERM');
        await waitFor(() => !alive(pid), 'the process to exit');
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
