/**
 * A throwaway `redis-server` for suite 6: started on a free loopback port with persistence off
 * (`--save '' --appendonly no`), daemonized with a pidfile in a temp dir, and stopped by that pid.
 * Nothing else on the machine is touched.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** @returns {Promise<number>} a port that was free a moment ago on 127.0.0.1 */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** @param {number} port */
function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * @returns {Promise<{ url: string, stop: () => Promise<void> } | undefined>} undefined when
 *   `redis-server` is not installed
 */
export async function startRedisServer() {
  const binary = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
  try {
    await access(binary);
  } catch {
    return undefined;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'capi-kit-bench-redis-'));
  const pidfile = path.join(dir, 'redis.pid');
  const port = await freePort();
  await run(binary, [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'yes',
    '--pidfile',
    pidfile,
    '--dir',
    dir,
    '--logfile',
    path.join(dir, 'redis.log'),
  ]);
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  let pid = 0;
  while (!pid && Date.now() < deadline) {
    pid = Number((await readFile(pidfile, 'utf8').catch(() => '')).trim());
    if (!pid) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (pid) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
        const stopDeadline = Date.now() + 5000;
        while (Date.now() < stopDeadline && (await canConnect(port))) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
