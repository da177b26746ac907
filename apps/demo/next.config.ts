/**
 * Next.js configuration of the demo shop. The workspace packages are consumed as built packages
 * (their `dist/`), exactly as an app installing them from npm would, so no `transpilePackages`.
 */
import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The native SQLite addon is loaded by Node, never bundled (Next's default list has it too; kept
  // explicit because the demo's queue depends on it). The capi-kit packages are bundled like any
  // dependency of a user's app.
  serverExternalPackages: ['better-sqlite3'],
  poweredByHeader: false,
  // `next build` checks the app against the packages' published types (their built `.d.ts`, as an
  // app installing them from npm sees them); `pnpm typecheck` checks it against their sources.
  typescript: { tsconfigPath: 'tsconfig.build.json' },
};

export default nextConfig;
