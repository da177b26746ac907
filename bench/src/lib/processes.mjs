/**
 * Child processes for the server-side suites. The server under load runs in its own process so
 * that the load generator (autocannon, in the bench process) does not share its event loop; every
 * child is registered here and stopped by its own pid when its suite ends, even on a crash.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

/**
 * Starts `script` (a path relative to `bench/src/`) with an IPC channel and resolves with the
 * child and the payload of its first `{ type: 'ready' }` message.
 * @param {string} script
 * @param {{ args?: string[], env?: Record<string, string>, timeoutMs?: number, execArgv?: string[] }} [options]
 * @returns {Promise<{ child: import('node:child_process').ChildProcess, ready: any }>}
 */
export function startChild(script, options = {}) {
  const file = fileURLToPath(new URL(`../${script}`, import.meta.url));
  const child = fork(file, options.args ?? [], {
    env: { ...process.env, ...options.env },
    execArgv: options.execArgv ?? [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${script} did not report ready in time`));
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 30_000);
    child.on('message', function onMessage(message) {
      const typed = /** @type {{ type?: string }} */ (message);
      if (typed?.type === 'ready') {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve({ child, ready: message });
      } else if (typed?.type === 'unavailable' || typed?.type === 'error') {
        clearTimeout(timer);
        child.off('message', onMessage);
        const error = Object.assign(new Error(/** @type {any} */ (message).message), {
          unavailable: typed.type === 'unavailable',
        });
        reject(error);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with code ${code} before it was ready`));
    });
  });
}

/**
 * Sends a request to a child and waits for its answer with the same `id`.
 * @param {import('node:child_process').ChildProcess} child
 * @param {Record<string, unknown>} message
 * @param {number} [timeoutMs]
 * @returns {Promise<any>}
 */
export function ask(child, message, timeoutMs = 600_000) {
  const id = Math.random().toString(36).slice(2);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`child did not answer ${String(message.type)}`)),
      timeoutMs,
    );
    /** @param {any} answer */
    function onMessage(answer) {
      if (answer?.id !== id) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      if (answer.type === 'error') reject(new Error(answer.message));
      else resolve(answer);
    }
    child.on('message', onMessage);
    child.send({ ...message, id });
  });
}

/**
 * Stops one child: SIGTERM, then SIGKILL if it lingers.
 * @param {import('node:child_process').ChildProcess} child
 */
export async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Stops every child this process started (called after each suite). */
export async function stopAllChildren() {
  await Promise.all([...children].map((child) => stopChild(child)));
}
