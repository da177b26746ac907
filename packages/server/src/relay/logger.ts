/**
 * The relay's logger contract and its default. Log lines carry IDs, counts, destination names and
 * reasons only: never a request or response body, an e-mail, a phone number, an IP address or a
 * token. Callers pass structured `fields`; this module does not try to scrub free text, so the
 * rule is kept where lines are written.
 */

/** Where the relay writes what happened. Any of pino, winston or `console` fits. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The default: `console`, without debug lines, each line prefixed `[capi-kit]`. */
export function consoleLogger(): Logger {
  const write =
    (method: 'info' | 'warn' | 'error') =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (fields && Object.keys(fields).length > 0)
        console[method](`[capi-kit] ${message}`, fields);
      else console[method](`[capi-kit] ${message}`);
    };
  return {
    debug: () => undefined,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}

/** A logger that writes nothing. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
