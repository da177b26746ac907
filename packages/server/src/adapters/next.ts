/**
 * `@capi-kit/server/next`: the relay as a Next.js App Router route handler
 * (`export const { POST, OPTIONS } = createRouteHandler(relay)` in `app/e/route.ts`). After the
 * 204, it asks Next's `after()` to run `relay.flush()`, so a serverless function delivers the
 * queue before it freezes. `after` is loaded with a guarded dynamic import: on Next versions
 * without it (or outside a request scope) delivery falls back to the relay's own timers.
 *
 * Next does not expose the socket address to route handlers: set `trustProxy` (e.g. `1` behind
 * Vercel or `next start`, which set `X-Forwarded-For`) so the client IP can be read.
 */
import type { Relay } from '../relay/relay-types';

type After = (task: () => Promise<unknown> | unknown) => void;

let afterPromise: Promise<After | undefined> | undefined;

function loadAfter(): Promise<After | undefined> {
  // A variable specifier keeps bundlers from resolving `next/server` when Next is not installed.
  const specifier = 'next/server';
  afterPromise ??= import(/* webpackIgnore: true */ specifier)
    .then((module: { after?: unknown }) =>
      typeof module.after === 'function' ? (module.after as After) : undefined,
    )
    .catch(() => undefined);
  return afterPromise;
}

/** Route handlers for the collect endpoint. */
export interface RouteHandlers {
  POST(request: Request): Promise<Response>;
  OPTIONS(request: Request): Promise<Response>;
}

/**
 * Creates the App Router handlers.
 *
 * @example
 * // app/e/route.ts
 * import { createRouteHandler } from '@capi-kit/server/next';
 * import { relay } from '@/lib/relay';
 * export const { POST, OPTIONS } = createRouteHandler(relay);
 */
export function createRouteHandler(
  relay: Relay,
  options: { after?: After | false } = {},
): RouteHandlers {
  async function scheduleFlush(): Promise<void> {
    const after = options.after === false ? undefined : (options.after ?? (await loadAfter()));
    if (!after) return;
    try {
      after(() => relay.flush());
    } catch {
      // Outside a request scope (tests, custom servers): the relay's timers deliver instead.
    }
  }
  return {
    async POST(request) {
      const response = await relay.handle(request);
      if (response.status === 204) await scheduleFlush();
      return response;
    },
    OPTIONS(request) {
      return relay.handle(request);
    },
  };
}
