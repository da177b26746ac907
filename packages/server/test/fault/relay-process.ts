/**
 * Runs the relay fixture (fixtures/relay-child.ts, bundled by build-child.ts) as a real child
 * process: waits for its `READY <port>` line, talks to it over loopback HTTP, and ends it with
 * SIGKILL (a crash) or SIGTERM (a graceful shutdown). Its stderr is kept for failure messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { QueueCounts } from '../../src/queue/queue-store';

/** What the child is told; mirrors `ChildConfig` in fixtures/relay-child.ts. */
export interface RelayChildConfig {
  store:
    | { kind: 'sqlite'; path: string }
    | {
        kind: 'redis';
        url: string;
        keyPrefix: string;
        claimTimeoutMs: number;
        consumerName: string;
      };
  metaBaseURL: string;
  pixelId: string;
  sendTimeoutMs?: number;
  maxEventsPerRequest?: number;
}

/** A running relay child. */
export interface RelayProcess {
  readonly url: string;
  readonly pid: number;
  readonly stderr: () => string;
  /** POSTs server events to `/track`; resolves with how many were queued. */
  track(events: unknown[]): Promise<number>;
  /** POSTs one beacon to `/e` and returns the status. */
  beacon(payload: unknown, userAgent?: string): Promise<number>;
  /** Queue counts per destination. */
  counts(): Promise<Record<string, QueueCounts>>;
  /** SIGKILL: no chance to clean up, as after a crash or the OOM killer. */
  kill(): Promise<void>;
  /** SIGTERM, the graceful shutdown path; resolves with the exit code. */
  stop(): Promise<number | null>;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Spawns `node <file>` with the config and waits until it listens. */
export async function startRelayProcess(
  file: string,
  config: RelayChildConfig,
): Promise<RelayProcess> {
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, NODE_ENV: 'test', CAPI_KIT_FAULT_CHILD: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString('utf8')).slice(-20_000);
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /READY (\d+)/.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(new Error(`relay child exited before it was ready (${code ?? signal}): ${errors}`)),
    );
    child.once('error', reject);
  });
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    pid: child.pid!,
    stderr: () => errors,
    async track(events) {
      const response = await fetch(`${url}/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(events),
      });
      const body = (await response.json()) as { queued?: number; error?: string };
      if (!response.ok) throw new Error(`track answered ${response.status}: ${body.error}`);
      return body.queued ?? 0;
    },
    async beacon(
      payload,
      userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36',
    ) {
      const response = await fetch(`${url}/e`, {
        method: 'POST',
        headers: {
          'content-type': 'text/plain;charset=UTF-8',
          origin: 'http://shop.test',
          'user-agent': userAgent,
        },
        body: JSON.stringify(payload),
      });
      await response.arrayBuffer();
      return response.status;
    },
    async counts() {
      const response = await fetch(`${url}/counts`);
      return (await response.json()) as Record<string, QueueCounts>;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      return exited(child);
    },
  };
}

/**
 * Polls `condition` every 50 ms until it holds, or fails after `timeoutMs` with `what` and, if
 * given, `describe()`: the state that explains the failure.
 */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
  describe?: () => string | Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      const details = describe ? `: ${await describe()}` : '';
      throw new Error(`timed out waiting for ${what}${details}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
