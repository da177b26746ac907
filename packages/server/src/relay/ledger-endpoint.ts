/**
 * The ledger endpoint: `GET` returns the newest ledger entries and the queue counts as JSON, for
 * an inspector page or a health check. Off unless `ledgerEndpoint` is set; in production it also
 * needs a token (`Authorization: Bearer …` or `?token=…`), since entries show event IDs, page URLs
 * and hashed payloads.
 */
import type { QueueCounts } from '../queue/queue-store';
import { jsonResponse } from './accept';
import type { LedgerBook } from './ledger';

export async function handleLedgerRequest(
  request: Request,
  context: {
    setting: boolean | { token?: string } | undefined;
    production: boolean;
    ledger: LedgerBook;
    counts: () => Promise<Record<string, QueueCounts>>;
  },
): Promise<Response> {
  const { setting } = context;
  if (!setting) return jsonResponse(404, { error: 'not_found' });
  if (request.method !== 'GET') {
    return jsonResponse(405, { error: 'method_not_allowed' }, { allow: 'GET' });
  }
  const token = typeof setting === 'object' ? setting.token : undefined;
  if (context.production && !token) {
    return jsonResponse(403, {
      error: 'forbidden',
      message: 'the ledger endpoint needs ledgerEndpoint.token in production',
    });
  }
  const url = new URL(request.url);
  if (token) {
    const header = request.headers.get('authorization');
    const given = header?.startsWith('Bearer ') ? header.slice(7) : url.searchParams.get('token');
    if (!given || !(await sameSecret(given, token))) {
      return jsonResponse(401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer' });
    }
  }
  const limitParam = Number(url.searchParams.get('limit') ?? '100');
  const limit = Number.isInteger(limitParam) && limitParam > 0 ? Math.min(limitParam, 1000) : 100;
  return jsonResponse(200, {
    entries: context.ledger.list({ limit }),
    queue: await context.counts(),
  });
}

/** Compares two secrets in constant time (by comparing their digests). */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ]);
  const left = new Uint8Array(a);
  const right = new Uint8Array(b);
  let difference = 0;
  for (let i = 0; i < left.length; i++) difference |= left[i]! ^ right[i]!;
  return difference === 0;
}
