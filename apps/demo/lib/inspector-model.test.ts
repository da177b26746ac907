import type { DeliveryState, LedgerDelivery, LedgerEntry } from '@capi-kit/server';
import { describe, expect, it } from 'vitest';
import {
  computeTotals,
  describeState,
  destinationLabel,
  readEntries,
  recoveredDestinations,
  verdictFallback,
} from './inspector-model';

function delivery(
  destinationId: string,
  platform: LedgerDelivery['platform'],
  state: DeliveryState,
  extra: Partial<LedgerDelivery> = {},
): LedgerDelivery {
  return { destinationId, platform, state, attempts: 1, updatedAt: 0, history: [], ...extra };
}

function entry(
  eventId: string,
  deliveries: LedgerDelivery[],
  pixels?: LedgerEntry['pixels'],
): LedgerEntry {
  return {
    eventId,
    eventName: 'Purchase',
    origin: 'browser',
    receivedAt: 0,
    eventTime: 0,
    pixels,
    deliveries: Object.fromEntries(deliveries.map((item) => [item.destinationId, item])),
  };
}

describe('describeState', () => {
  it('says why the platform rejected an event, in its own words', () => {
    const rejected = delivery('meta', 'meta', 'rejected', {
      reason: 'Invalid parameter: event_time is too far in the past',
    });
    expect(describeState(rejected)).toEqual({
      text: 'Rejected by the platform: Invalid parameter: event_time is too far in the past',
      tone: 'bad',
    });
  });

  it('counts retries and gives the reason', () => {
    const retrying = delivery('tiktok', 'tiktok', 'retrying', {
      attempts: 3,
      reason: 'HTTP 503',
    });
    expect(describeState(retrying).text).toBe('Retrying (attempt 3): HTTP 503');
  });

  it('tells a skipped event from an expired one', () => {
    expect(
      describeState(delivery('ga4', 'google', 'skipped', { reason: 'no _ga client ID' })).text,
    ).toBe('Not sent: no _ga client ID');
    expect(describeState(delivery('meta', 'meta', 'expired')).text).toBe(
      'Expired: too old for the platform',
    );
  });
});

describe('destinationLabel', () => {
  it('names the two Google products apart', () => {
    expect(destinationLabel(delivery('google-ads', 'google', 'queued'))).toBe('Google Ads');
    expect(destinationLabel(delivery('google-analytics', 'google', 'queued'))).toBe(
      'Google Analytics',
    );
  });
});

describe('recoveredDestinations', () => {
  it('lists only the platforms whose pixel was lost and whose server copy was delivered', () => {
    const mixed = entry(
      'e1',
      [
        delivery('meta', 'meta', 'delivered'),
        delivery('tiktok', 'tiktok', 'delivered'),
        delivery('google-analytics', 'google', 'retrying'),
      ],
      { meta: 'blocked', tiktok: 'fired', google: 'blocked' },
    );
    expect(recoveredDestinations(mixed, undefined)).toEqual(['meta']);
  });

  it('counts a server-only verdict as recovered even when the pixel reported fired', () => {
    const lost = entry('e2', [delivery('tiktok', 'tiktok', 'delivered')], { tiktok: 'fired' });
    expect(recoveredDestinations(lost, { tiktok: 'server_only' })).toEqual(['tiktok']);
  });
});

describe('computeTotals', () => {
  it('counts events, fully delivered, recovered and rejected ones', () => {
    const entries = [
      entry('matched', [delivery('meta', 'meta', 'delivered')], { meta: 'fired' }),
      entry(
        'recovered',
        [delivery('meta', 'meta', 'delivered'), delivery('google-ads', 'google', 'skipped')],
        { meta: 'blocked' },
      ),
      entry('rejected', [
        delivery('meta', 'meta', 'rejected'),
        delivery('tiktok', 'tiktok', 'delivered'),
      ]),
      entry('nothing-sent', [delivery('google-ads', 'google', 'skipped')]),
    ];
    expect(computeTotals(entries, { matched: { meta: 'matched' } })).toEqual({
      events: 4,
      delivered: 2,
      recovered: 1,
      rejected: 1,
    });
  });
});

describe('verdictFallback', () => {
  it('points to the platform tools when sending to real platforms', () => {
    expect(verdictFallback(delivery('meta', 'meta', 'delivered'), undefined, 'real')).toBe(
      "shown in the platform's own tools (test events)",
    );
    expect(verdictFallback(delivery('meta', 'meta', 'skipped'), undefined, 'fake')).toBe('–');
  });
});

describe('readEntries', () => {
  it('reads the ledger endpoint body and ignores anything else', () => {
    const one = entry('e1', []);
    expect(readEntries({ entries: [one], queue: {} })).toEqual([one]);
    expect(readEntries({ error: 'unauthorized' })).toEqual([]);
    expect(readEntries(null)).toEqual([]);
  });
});
