/**
 * Placeholder until this platform's validating fake lands: answers 501 so a test that relies on it
 * fails loudly instead of passing against a fake that checks nothing.
 */
import type { PlatformHandler } from './platform-handler';

export const handleTiktokRequest: PlatformHandler = () => ({
  status: 501,
  body: { error: 'this fake platform is not implemented yet' },
  parsedBody: undefined,
  testMode: false,
});
