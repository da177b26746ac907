/**
 * The Google Ads conversions destination, through the Data Manager API (`POST /v1/events:ingest`):
 * one conversion per event with the order ID as `transactionId` (Google deduplicates it against
 * the Google tag), click identifiers, hashed user identifiers (`encoding: HEX`) and consent. OAuth
 * tokens belong to the user: pass one, or an async getter that capi-kit asks again with
 * `forceRefresh: true` once when Google answers 401.
 *
 * @see https://developers.google.com/data-manager/api/reference/rest/v1/events/ingest
 */
import {
  DestinationCallError,
  hashUserData,
  type ConversionEvent,
  type Destination,
  type DestinationSettings,
  type EventOutcome,
  type PrepareResult,
  type SendResult,
} from '@capi-kit/core';
import { classifyHttpStatus, postJson, type JsonResponse } from '../../http';
import type {
  DataManagerConsent,
  DataManagerDestination,
  DataManagerEvent,
  DataManagerIngestRequest,
  DataManagerUserIdentifier,
} from './google-api-types';
import { dataManagerCallError, fieldViolationsByEvent } from './google-error';
import { nonEmptyString, optionalSetting, requireSetting } from '../destination-kit';
import { finiteNumber, originOf } from './google-shared';

/** Asks the user's code for an OAuth 2 access token (scope `https://www.googleapis.com/auth/datamanager`). */
export type GoogleAccessTokenGetter = (options: { forceRefresh: boolean }) => Promise<string>;

/** Settings of `googleAds()`. */
export interface GoogleAdsSettings extends DestinationSettings {
  /** The Google Ads customer ID that owns the conversion action (dashes allowed). Env `GOOGLE_ADS_CUSTOMER_ID`. */
  customerId?: string;
  /** The conversion action ID. Env `GOOGLE_ADS_CONVERSION_ACTION_ID`. */
  conversionActionId?: string;
  /** A static OAuth access token. Env `GOOGLE_ADS_ACCESS_TOKEN`. Prefer `getAccessToken`: tokens expire within an hour. */
  accessToken?: string;
  /** Returns a valid token; called before each request, and with `forceRefresh: true` after a 401. */
  getAccessToken?: GoogleAccessTokenGetter;
  /** The manager (MCC) account the credentials belong to, when acting through one. Env `GOOGLE_ADS_LOGIN_CUSTOMER_ID`. */
  loginCustomerId?: string;
  /** Validate without ingesting (a test mode: Google returns only errors). */
  validateOnly?: boolean;
  /** Destination ID in the ledger and queues [`google-ads`]. */
  id?: string;
  /** Timeout of one HTTP call, in ms. */
  timeoutMs?: number;
}

/** The Data Manager API accepts at most 2 000 events per request (platforms.md §0, §4.1). */
const MAX_EVENTS_PER_REQUEST = 2000;
/**
 * Oldest conversion we send. The Data Manager window is UNCONFIRMED (platforms.md §0); Google Ads
 * click-through conversion windows reach at most 90 days, and a conversion older than its click's
 * window cannot be attributed anyway, so 90 days is the most that can still count.
 */
const MAX_EVENT_AGE_MS = 90 * 24 * 60 * 60 * 1000;
/** Data Manager accepts up to 10 identifiers per user (UserData reference). */
const MAX_USER_IDENTIFIERS = 10;

/**
 * Creates the Google Ads destination (Data Manager API).
 *
 * @example
 * import { googleAds } from '@capi-kit/server/google';
 * googleAds({ customerId: '123-456-7890', conversionActionId: '987654321', getAccessToken });
 */
export function googleAds(settings: GoogleAdsSettings = {}): Destination<DataManagerEvent> {
  const customerId = digitsOnly(
    requireSetting('googleAds', 'customerId', settings.customerId, 'GOOGLE_ADS_CUSTOMER_ID'),
  );
  const conversionActionId = requireSetting(
    'googleAds',
    'conversionActionId',
    settings.conversionActionId,
    'GOOGLE_ADS_CONVERSION_ACTION_ID',
  );
  const loginCustomerId = optionalSetting(settings.loginCustomerId, 'GOOGLE_ADS_LOGIN_CUSTOMER_ID');
  const getToken: GoogleAccessTokenGetter =
    settings.getAccessToken ??
    (() => {
      const token = requireSetting(
        'googleAds',
        'accessToken` or `getAccessToken',
        settings.accessToken,
        'GOOGLE_ADS_ACCESS_TOKEN',
      );
      return () => Promise.resolve(token);
    })();
  const canRefresh = settings.getAccessToken !== undefined;
  const url = `${originOf(settings.baseURL, 'https://datamanager.googleapis.com')}/v1/events:ingest`;
  const destination: DataManagerDestination = {
    operatingAccount: { accountType: 'GOOGLE_ADS', accountId: customerId },
    ...(loginCustomerId
      ? { loginAccount: { accountType: 'GOOGLE_ADS', accountId: digitsOnly(loginCustomerId) } }
      : {}),
    productDestinationId: conversionActionId,
  };

  async function post(body: DataManagerIngestRequest, token: string, signal: AbortSignal) {
    return postJson({
      url,
      body,
      signal,
      headers: { ...settings.headers, authorization: `Bearer ${token}` },
      ...(settings.fetch ? { fetch: settings.fetch } : {}),
      ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
    });
  }

  async function tokenFor(forceRefresh: boolean): Promise<string> {
    try {
      return await getToken({ forceRefresh });
    } catch (error) {
      // The getter is the user's code (a token endpoint call): its failure may well be transient.
      throw new DestinationCallError('getAccessToken failed', { isRetryable: true, cause: error });
    }
  }

  return {
    specVersion: 'v1',
    id: settings.id ?? 'google-ads',
    platform: 'google',
    maxEventsPerRequest: MAX_EVENTS_PER_REQUEST,
    maxEventAgeMs: () => MAX_EVENT_AGE_MS,

    async doPrepare(event: ConversionEvent): Promise<PrepareResult<DataManagerEvent>> {
      try {
        return await prepareConversion(event);
      } catch (error) {
        return {
          kind: 'skip',
          reason: `could not map the event for Google Ads: ${String(error)}`,
        };
      }
    },

    async doSend(batch, options): Promise<SendResult> {
      const events = batch.map((prepared) => prepared.payload);
      const body: DataManagerIngestRequest = {
        destinations: [destination],
        events,
        // Required whenever user data is uploaded; every hash capi-kit makes is lowercase hex.
        encoding: 'HEX',
        ...(settings.validateOnly ? { validateOnly: true } : {}),
      };
      let response: JsonResponse = await post(body, await tokenFor(false), options.signal);
      if (response.status === 401 && canRefresh) {
        // Access tokens live about an hour; one refresh covers expiry. A second 401 means the
        // credentials themselves are wrong, and asking again would loop.
        response = await post(body, await tokenFor(true), options.signal);
      }
      const exchange = {
        url,
        requestBody: body,
        status: response.status,
        responseBody: response.body,
      };
      if (classifyHttpStatus(response.status) === 'success') {
        return { outcomes: batch.map(() => ({ status: 'delivered' })), exchange };
      }

      const error = dataManagerCallError(response, Date.now());
      const blamed = response.status === 400 ? fieldViolationsByEvent(response.body) : new Map();
      if (blamed.size === 0 || error.isConfigurationError) throw error;
      // Google refuses the whole request for one bad event but says which one: reject those and
      // have the others resent without an extra wait of our own, instead of making the relay
      // bisect.
      const outcomes: EventOutcome[] = batch.map((_, index) =>
        blamed.has(index)
          ? { status: 'rejected', reason: blamed.get(index)!, code: 'INVALID_ARGUMENT' }
          : {
              status: 'retry',
              retryAfterMs: 0,
              reason: 'not ingested: another event of the request was invalid',
            },
      );
      return { outcomes, exchange };
    },
  };
}

/** Canonical event → Data Manager event, or a skip with a reason. */
async function prepareConversion(event: ConversionEvent): Promise<PrepareResult<DataManagerEvent>> {
  const user = event.user ?? {};
  const data = event.data ?? {};
  const conversion: DataManagerEvent = {
    // The Google tag sends the order ID as transaction_id; without an order the shared event ID
    // plays that role, so the tag and this copy still deduplicate.
    transactionId: nonEmptyString(data.orderId) ?? event.id,
    eventTimestamp: toRfc3339(event.time),
    eventSource: eventSourceOf(event.source),
  };
  const value = finiteNumber(data.value);
  const currency = nonEmptyString(data.currency)?.toUpperCase();
  if (currency !== undefined) conversion.currency = currency;
  if (value !== undefined) conversion.conversionValue = value;

  const adIdentifiers: NonNullable<DataManagerEvent['adIdentifiers']> = {};
  if (nonEmptyString(user.gclid)) adIdentifiers.gclid = user.gclid!;
  if (nonEmptyString(user.gbraid)) adIdentifiers.gbraid = user.gbraid!;
  if (nonEmptyString(user.wbraid)) adIdentifiers.wbraid = user.wbraid!;
  const hasClickId = Object.keys(adIdentifiers).length > 0;
  if (user.userAgent || user.ip) {
    adIdentifiers.landingPageDeviceInfo = {
      ...(user.userAgent ? { userAgent: user.userAgent } : {}),
      ...(user.ip ? { ipAddress: user.ip } : {}),
    };
  }
  if (Object.keys(adIdentifiers).length > 0) conversion.adIdentifiers = adIdentifiers;

  // With ad_user_data denied, hashed identifiers must not be sent (Google ignores them anyway).
  const identifiers = event.consent?.adUserData === 'denied' ? [] : await userIdentifiers(event);
  if (identifiers.length > 0) conversion.userData = { userIdentifiers: identifiers };

  const consent = consentOf(event);
  if (consent !== undefined) conversion.consent = consent;

  const items = (Array.isArray(data.contents) ? data.contents : []).flatMap((content) => {
    const id = nonEmptyString(content?.id);
    if (id === undefined) return [];
    const quantity = finiteNumber(content.quantity);
    const unitPrice = finiteNumber(content.price);
    return [
      {
        merchantProductId: id,
        ...(quantity !== undefined ? { quantity } : {}),
        ...(unitPrice !== undefined ? { unitPrice } : {}),
      },
    ];
  });
  if (items.length > 0) conversion.cartData = { items };

  if (!hasClickId && identifiers.length === 0) {
    // Google can only attribute a conversion to a click (gclid/gbraid/wbraid) or to a signed-in
    // user it can match; with neither, the request would be refused or silently unattributable.
    return {
      kind: 'skip',
      reason:
        event.consent?.adUserData === 'denied'
          ? 'no Google click ID (gclid/gbraid/wbraid), and ad_user_data consent is denied, so no user identifiers may be sent'
          : 'no Google click ID (gclid/gbraid/wbraid) and no user identifiers (email, phone or full address): Google Ads cannot attribute it',
    };
  }
  return { kind: 'ready', payload: conversion };
}

/** One identifier per hashed e-mail, per hashed phone, and one address when it is complete. */
async function userIdentifiers(event: ConversionEvent): Promise<DataManagerUserIdentifier[]> {
  // Personal fields only: identifiers and device data are read from the event itself.
  const hashed = await hashUserData('google', event.user, { personalOnly: true });
  const identifiers: DataManagerUserIdentifier[] = [];
  for (const emailAddress of hashed.email ?? []) identifiers.push({ emailAddress });
  for (const phoneNumber of hashed.phone ?? []) identifiers.push({ phoneNumber });
  const givenName = hashed.firstName?.[0];
  const familyName = hashed.lastName?.[0];
  const regionCode = hashed.country?.[0]?.toUpperCase();
  const postalCode = hashed.zip?.[0];
  // AddressInfo's four fields are all required; a partial address is refused, so it is left out.
  if (givenName && familyName && regionCode && postalCode) {
    identifiers.push({ address: { givenName, familyName, regionCode, postalCode } });
  }
  return identifiers.slice(0, MAX_USER_IDENTIFIERS);
}

function consentOf(event: ConversionEvent): DataManagerConsent | undefined {
  // Data Manager's own enum (CONSENT_GRANTED), not GA4's GRANTED (platforms.md §11.16).
  const status = (state: 'granted' | 'denied') =>
    state === 'granted' ? 'CONSENT_GRANTED' : 'CONSENT_DENIED';
  const consent: DataManagerConsent = {};
  if (event.consent?.adUserData) consent.adUserData = status(event.consent.adUserData);
  if (event.consent?.adPersonalization) {
    consent.adPersonalization = status(event.consent.adPersonalization);
  }
  return Object.keys(consent).length > 0 ? consent : undefined;
}

function eventSourceOf(source: ConversionEvent['source']): DataManagerEvent['eventSource'] {
  switch (source) {
    case 'web':
      return 'WEB';
    case 'app':
      return 'APP';
    case 'physical_store':
      return 'IN_STORE';
    case 'phone_call':
      return 'PHONE';
    default:
      return 'OTHER';
  }
}

/** ms epoch → RFC 3339 in UTC, without a fraction when there is none (`2026-01-01T00:00:00Z`). */
export function toRfc3339(time: number): string {
  return new Date(time).toISOString().replace('.000Z', 'Z');
}

function digitsOnly(id: string): string {
  return id.replace(/\D/g, '');
}
