import type { Consent } from '@capi-kit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { watchTcf, withoutPersonalData } from './consent';

const page = window as any;

function cmp(data: unknown, success = true) {
  page.__tcfapi = (
    command: string,
    version: number,
    callback: (data: unknown, ok: boolean) => void,
  ) => {
    if (command == 'addEventListener' && version == 2) callback(data, success);
  };
}

afterEach(() => delete page.__tcfapi);

describe('watchTcf', () => {
  it('maps TCF purposes to consent-mode keys once the person decided', () => {
    cmp({
      gdprApplies: true,
      eventStatus: 'tcloaded',
      purpose: { consents: { 1: true, 3: true, 4: false, 7: true } },
    });
    const updates: Consent[] = [];
    watchTcf((update) => updates.push(update));
    expect(updates).toEqual([
      {
        adStorage: 'granted',
        analyticsStorage: 'granted',
        adPersonalization: 'denied',
        adUserData: 'granted',
      },
    ]);
  });

  it('ignores the signal while the CMP is still asking, on failure, and without a CMP', () => {
    const updates: Consent[] = [];
    cmp({ gdprApplies: true, eventStatus: 'cmpuishown', purpose: { consents: { 1: true } } });
    watchTcf((update) => updates.push(update));
    cmp({ gdprApplies: true, eventStatus: 'tcloaded' }, false);
    watchTcf((update) => updates.push(update));
    delete page.__tcfapi;
    watchTcf((update) => updates.push(update));
    expect(updates).toEqual([]);
  });
});

describe('withoutPersonalData', () => {
  it('drops every personal field and keeps identifiers', () => {
    expect(
      withoutPersonalData({
        email: 'a@b.c',
        phone: '1',
        firstName: 'a',
        lastName: 'b',
        dateOfBirth: '1',
        gender: 'f',
        city: 'c',
        state: 's',
        zip: 'z',
        country: 'us',
        externalId: 'x',
        fbp: 'fb.1.1.1',
        gclid: 'G',
      }),
    ).toEqual({ fbp: 'fb.1.1.1', gclid: 'G' });
  });
});
