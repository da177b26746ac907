/**
 * One canonical event, four platform events side by side: the quirks DESIGN.md step 6 warns about,
 * asserted in one place so a regression in any destination (or in core's per-platform rules)
 * shows up as a difference in this table.
 */
import { createHash } from 'node:crypto';
import type { Destination } from '@capi-kit/core';
import { describe, expect, it } from 'vitest';
import { meta, type MetaPayload } from '../meta/index';
import { tiktok } from '../tiktok/tiktok-destination';
import type { TikTokEvent } from '../tiktok/tiktok-api-types';
import { canonicalEvent } from '../__fixtures__/canonical-event';
import { googleAds } from './google-ads-destination';
import { googleAnalytics, type GoogleAnalyticsPayload } from './google-analytics-destination';
import type { DataManagerEvent } from './google-api-types';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

async function payloadOf<T>(destination: Destination<T>): Promise<T> {
  const result = await destination.doPrepare(canonicalEvent());
  if (result.kind !== 'ready') throw new Error(`skipped: ${result.reason}`);
  return result.payload;
}

describe('the canonical event on each platform', () => {
  it('differs exactly where the platforms differ: phone, Gmail dots and time unit', async () => {
    const metaEvent = await payloadOf<MetaPayload>(
      meta({ pixelId: '1234567890', accessToken: 't' }),
    );
    const ga4Event = await payloadOf<GoogleAnalyticsPayload>(
      googleAnalytics({ measurementId: 'G-ABC123', apiSecret: 's' }),
    );
    const adsEvent = await payloadOf<DataManagerEvent>(
      googleAds({ customerId: '1234567890', conversionActionId: '1', accessToken: 't' }),
    );
    const tiktokEvent = await payloadOf<TikTokEvent>(tiktok({ pixelCode: 'C1', accessToken: 't' }));
    const adsIdentifiers = adsEvent.userData!.userIdentifiers as Record<string, string>[];

    const table = {
      phone: {
        meta: metaEvent.user_data.ph?.[0],
        ga4: ga4Event.user_data?.sha256_phone_number?.[0],
        googleAds: adsIdentifiers.find((identifier) => 'phoneNumber' in identifier)?.phoneNumber,
        tiktok: tiktokEvent.user?.phone?.[0],
      },
      email: {
        meta: metaEvent.user_data.em?.[0],
        ga4: ga4Event.user_data?.sha256_email_address?.[0],
        googleAds: adsIdentifiers.find((identifier) => 'emailAddress' in identifier)?.emailAddress,
        tiktok: tiktokEvent.user?.email?.[0],
      },
      time: {
        meta: metaEvent.event_time,
        ga4: ga4Event.event.timestamp_micros,
        googleAds: adsEvent.eventTimestamp,
        tiktok: tiktokEvent.event_time,
      },
      name: {
        meta: metaEvent.event_name,
        ga4: ga4Event.event.name,
        tiktok: tiktokEvent.event,
      },
      dedupKey: {
        meta: metaEvent.event_id,
        ga4: ga4Event.event.params.event_id,
        googleAds: adsEvent.transactionId,
        tiktok: tiktokEvent.event_id,
      },
    };

    expect(table).toEqual({
      phone: {
        meta: sha256('16505551212'),
        ga4: sha256('+16505551212'),
        googleAds: sha256('+16505551212'),
        tiktok: sha256('+16505551212'),
      },
      email: {
        meta: sha256('john.smith@gmail.com'),
        ga4: sha256('johnsmith@gmail.com'),
        googleAds: sha256('johnsmith@gmail.com'),
        tiktok: sha256('john.smith@gmail.com'),
      },
      time: {
        meta: 1767225600,
        ga4: 1767225600000000,
        googleAds: '2026-01-01T00:00:00Z',
        tiktok: 1767225600,
      },
      name: { meta: 'Purchase', ga4: 'purchase', tiktok: 'CompletePayment' },
      dedupKey: {
        meta: 'evt_01JGZ5M8Q4',
        ga4: 'evt_01JGZ5M8Q4',
        googleAds: 'ord_1',
        tiktok: 'evt_01JGZ5M8Q4',
      },
    });
  });
});
