import { describe, expect, it } from 'vitest';
import { LedgerBook, newDelivery, type LedgerEntry } from './ledger';

function entry(eventId: string): LedgerEntry {
  return {
    eventId,
    eventName: 'Purchase',
    origin: 'browser',
    receivedAt: 1,
    eventTime: 1,
    deliveries: { meta: newDelivery('meta', 'meta', 'queued', 1) },
  };
}

describe('LedgerBook', () => {
  it('lists newest first and forgets the oldest beyond its capacity', () => {
    const ledger = new LedgerBook(2, () => undefined);
    ledger.add(entry('a'));
    ledger.add(entry('b'));
    ledger.add(entry('c'));
    expect(ledger.list().map((one) => one.eventId)).toEqual(['c', 'b']);
    expect(ledger.get('a')).toBeUndefined();
    expect(ledger.list({ limit: 1 }).map((one) => one.eventId)).toEqual(['c']);
  });

  it('keeps the newest entries through many evictions, re-added ones moved to the newest place', () => {
    const ledger = new LedgerBook(3, () => undefined);
    const model: string[] = [];
    const ids = ['a', 'b', 'c', 'd', 'e', 'a', 'f', 'd', 'g', 'h', 'g', 'i', 'a', 'b', 'j'];
    for (const id of [...ids, ...ids, ...ids]) {
      ledger.add(entry(id));
      if (model.includes(id)) model.splice(model.indexOf(id), 1);
      model.push(id);
      if (model.length > 3) model.shift();
      expect(ledger.list().map((one) => one.eventId)).toEqual([...model].reverse());
    }
  });

  it('records each state change with its time and reason', () => {
    const ledger = new LedgerBook(10, () => undefined);
    ledger.add(entry('a'));
    ledger.update('a', 'meta', 'sent', 2, { attempts: 1 });
    ledger.update('a', 'meta', 'retrying', 3, { reason: 'HTTP 503' });
    ledger.update('a', 'meta', 'sent', 4, { attempts: 2 });
    ledger.update('a', 'meta', 'delivered', 5);
    expect(ledger.get('a')!.deliveries.meta).toEqual({
      destinationId: 'meta',
      platform: 'meta',
      state: 'delivered',
      attempts: 2,
      updatedAt: 5,
      history: [
        { state: 'queued', at: 1 },
        { state: 'sent', at: 2 },
        { state: 'retrying', at: 3, reason: 'HTTP 503' },
        { state: 'sent', at: 4 },
        { state: 'delivered', at: 5 },
      ],
    });
  });

  it('notifies subscribers until they unsubscribe, and survives a throwing listener', () => {
    const errors: unknown[] = [];
    const ledger = new LedgerBook(10, (error) => errors.push(error));
    const seen: string[] = [];
    ledger.subscribe(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = ledger.subscribe((one) => seen.push(one.deliveries.meta!.state));
    ledger.add(entry('a'));
    ledger.update('a', 'meta', 'sent', 2);
    unsubscribe();
    ledger.update('a', 'meta', 'delivered', 3);
    expect(seen).toEqual(['queued', 'sent']);
    expect(errors).toHaveLength(3);
  });

  it('keeps the history bounded, with its first step', () => {
    const ledger = new LedgerBook(10, () => undefined);
    ledger.add(entry('a'));
    for (let at = 2; at < 200; at++) ledger.update('a', 'meta', 'retrying', at, { reason: 'x' });
    const history = ledger.get('a')!.deliveries.meta!.history;
    expect(history.length).toBeLessThanOrEqual(50);
    expect(history[0]).toEqual({ state: 'queued', at: 1 });
    expect(history.at(-1)!.at).toBe(199);
  });
});
