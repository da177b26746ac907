/**
 * Next.js configuration of the demo shop. The workspace packages are consumed as built packages
 * (their `dist/`), exactly as an app installing them from npm would, so no `transpilePackages`.
 */
import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The relay, its SQLite store and the fake platforms are Node server code with a native addon
  // (better-sqlite3); Node loads them as they are instead of bundling them into the server chunks.
  serverExternalPackages: ['@capi-kit/server', '@capi-kit/testing', 'better-sqlite3'],
  poweredByHeader: false,
};

export default nextConfig;
