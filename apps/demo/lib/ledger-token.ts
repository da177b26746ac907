/** Whether a request carries the ledger token, as `?token=` or `Authorization: Bearer`. */
import { timingSafeEqual } from 'node:crypto';

export function hasLedgerToken(request: Request, token: string): boolean {
  const url = new URL(request.url);
  const header = request.headers.get('authorization') ?? '';
  const given = url.searchParams.get('token') ?? header.replace(/^Bearer\s+/i, '');
  const expected = Buffer.from(token);
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
