/**
 * Loads better-sqlite3, an optional peer dependency, only when a SQLite queue is created, so that
 * importing `@capi-kit/server/sqlite` (or bundling the package) never needs the native module.
 */
import { createRequire } from 'node:module';
import { ConfigError } from '@capi-kit/core';

/** The few parts of a better-sqlite3 statement the store uses. */
export interface SqliteStatement {
  run(...parameters: unknown[]): { changes: number | bigint };
  get(...parameters: unknown[]): unknown;
  all(...parameters: unknown[]): unknown[];
}

/** The few parts of a better-sqlite3 database the store uses. */
export interface SqliteDatabase {
  prepare(source: string): SqliteStatement;
  exec(source: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<Arguments extends unknown[], Result>(
    body: (...parameters: Arguments) => Result,
  ): (...parameters: Arguments) => Result;
  close(): unknown;
  readonly open: boolean;
}

export type SqliteDatabaseConstructor = new (
  path: string,
  options?: { timeout?: number },
) => SqliteDatabase;

type RequireFunction = (id: string) => unknown;

function defaultRequire(): RequireFunction {
  // ESM: resolve from this module's URL. The CommonJS build has no `import.meta` (tsup leaves it
  // empty) but has `__filename`. Do not test `typeof require`: the ESM bundle defines a `require`
  // shim that only throws.
  const url = (import.meta as { url?: string } | undefined)?.url;
  return createRequire(url ?? __filename);
}

/**
 * Returns the better-sqlite3 `Database` constructor, or throws a `ConfigError` that says how to
 * install it. `requireModule` is injectable so the missing-module path can be tested.
 */
export function loadBetterSqlite3(
  requireModule: RequireFunction = defaultRequire(),
): SqliteDatabaseConstructor {
  let loaded: unknown;
  try {
    loaded = requireModule('better-sqlite3');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new ConfigError(
        'sqliteQueue needs the optional peer dependency better-sqlite3: install it with ' +
          '`npm install better-sqlite3@12` (or pnpm add / yarn add), or use the memory or Redis queue',
        { cause: error },
      );
    }
    // Installed but unusable, typically a native build for another Node.js version.
    throw new ConfigError(
      `sqliteQueue could not load better-sqlite3 (${(error as Error)?.message ?? String(error)}); ` +
        'rebuild it for this Node.js version with `npm rebuild better-sqlite3`',
      { cause: error },
    );
  }
  const constructor =
    typeof loaded === 'function' ? loaded : (loaded as { default?: unknown } | null)?.default;
  if (typeof constructor !== 'function') {
    throw new ConfigError('sqliteQueue: better-sqlite3 did not export a Database constructor');
  }
  return constructor as SqliteDatabaseConstructor;
}
