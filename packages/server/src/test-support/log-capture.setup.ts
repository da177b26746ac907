/**
 * Vitest setup for every server test file: captures everything written through `console` during
 * the file and, after it, fails if a raw e-mail address, a test phone number or a test access
 * token was logged. Relay tests use the default console logger, so this covers every log line the
 * relay writes in the suite.
 */
import { format } from 'node:util';
import { afterAll, expect } from 'vitest';
import { FORBIDDEN_IN_LOGS } from './pii';

const captured: string[] = [];
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    captured.push(format(...args));
    if (process.env.CAPI_KIT_SHOW_LOGS) original(...args);
  };
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

afterAll(() => {
  const text = captured.join('\n');
  for (const secret of FORBIDDEN_IN_LOGS) {
    expect(text.includes(secret), `logs contain a forbidden value (${secret.length} chars)`).toBe(
      false,
    );
  }
  expect(EMAIL.test(text), 'logs contain an e-mail address').toBe(false);
});

/** Lines captured so far in this file (for tests that assert on logging). */
export function capturedLogs(): readonly string[] {
  return captured;
}
