import { describe, expect, it } from 'vitest';
import { DEDUP_WINDOW_MS, FakePlatformState, type AcceptedEvent } from './fake-platform';

const T0 = Date.UTC(2026, 0, 1);

function serverCopy(eventId: string, overrides: Partial<AcceptedEvent> = {}): AcceptedEvent {
  return {
    pixelId: 'P1',
    eventName: 'Purchase',
    eventId,
    eventTime: T0,
    body: {},
    validationOnly: false,
    ...overrides,
  };
}

describe('FakePlatformState.dedupVerdict', () => {
  it('pairs copies exactly at the 48 h boundary', () => {
    const state = new FakePlatformState('meta', () => T0, 'pixel-name-id');
    state.recordPixelHit({ pixelId: 'P1', eventName: 'Purchase', eventId: 'e1', at: T0 });
    state.accept(serverCopy('e1'), T0 + DEDUP_WINDOW_MS);
    expect(state.dedupVerdict('Purchase', 'e1', 'P1')).toBe('matched');
  });

  it('starts a new window one millisecond after 48 h', () => {
    const state = new FakePlatformState('meta', () => T0, 'pixel-name-id');
    state.recordPixelHit({ pixelId: 'P1', eventName: 'Purchase', eventId: 'e1', at: T0 });
    state.accept(serverCopy('e1'), T0 + DEDUP_WINDOW_MS + 1);
    expect(state.dedupVerdict('Purchase', 'e1', 'P1')).toBe('server_only');
    expect(state.dedupEntries().map((entry) => entry.verdict)).toEqual([
      'pixel_only',
      'server_only',
    ]);
  });

  it('keys on the ID alone for the id scope (Data Manager transactionId)', () => {
    const state = new FakePlatformState('dataManager', () => T0, 'id');
    state.recordPixelHit({ pixelId: 'AW-1', eventName: 'purchase', eventId: 'ord_1' });
    state.accept(serverCopy('ord_1', { pixelId: '987', eventName: 'conversion' }), T0);
    expect(state.dedupVerdict('anything', 'ord_1')).toBe('matched');
  });

  it('keeps validation-only events out of the ledger', () => {
    const state = new FakePlatformState('ga4', () => T0, 'pixel-name-id');
    const received = state.accept(serverCopy('e1', { validationOnly: true }), T0);
    state.accept(serverCopy('e1', { validationOnly: true }), T0);
    expect(received.deduplicated).toBe(false);
    expect(state.dedupVerdict('Purchase', 'e1')).toBe('unknown');
    expect(state.events).toHaveLength(2);
  });

  it('uses the clock for a pixel hit without a time', () => {
    const state = new FakePlatformState('meta', () => T0 + 5, 'pixel-name-id');
    state.recordPixelHit({ eventName: 'Purchase', eventId: 'e1' });
    expect(state.dedupEntries()[0]?.firstSeenAt).toBe(T0 + 5);
  });
});

describe('FakePlatformState.takeFault', () => {
  it('returns scripted responses in order, then nothing', () => {
    const state = new FakePlatformState('meta', () => T0, 'pixel-name-id');
    state.respondWith({ kind: 'status', status: 500 }, { kind: 'reset' });
    state.respondWith({ kind: 'timeout' });
    expect([state.takeFault(), state.takeFault(), state.takeFault(), state.takeFault()]).toEqual([
      { response: { kind: 'status', status: 500 }, source: 'scripted' },
      { response: { kind: 'reset' }, source: 'scripted' },
      { response: { kind: 'timeout' }, source: 'scripted' },
      undefined,
    ]);
  });
});

describe('FakePlatformState.checkToken', () => {
  it('tells missing, rejected and accepted tokens apart', () => {
    const state = new FakePlatformState('meta', () => T0, 'pixel-name-id');
    state.rejectToken('old');
    expect([state.checkToken(undefined), state.checkToken('old'), state.checkToken('new')]).toEqual(
      ['missing', 'rejected', 'ok'],
    );
    state.acceptTokens(['only']);
    expect([state.checkToken('new'), state.checkToken('only')]).toEqual(['rejected', 'ok']);
    state.reset();
    expect(state.checkToken('old')).toBe('ok');
  });
});
