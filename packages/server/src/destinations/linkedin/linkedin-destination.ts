/**
 * The LinkedIn Conversions API destination: `POST /rest/conversionEvents` as a Rest.li
 * `BATCH_CREATE` of up to 5 000 conversion events, with a member OAuth token (`Authorization:
 * Bearer`), a monthly `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0` (platforms.md §9).
 * LinkedIn counts conversions per conversion rule, not by event name, so like the Insight Tag
 * adapter (`@capi-kit/browser/linkedin`) only events mapped to a rule are sent, under the same
 * `eventId` the tag got as `event_id`; other events are skipped with a reason in the ledger.
 *
 * @see https://learn.microsoft.com/linkedin/marketing/integrations/ads-reporting/conversions-api
 */
import {
  ConfigError,
  hashUserData,
  linkedinEventName,
  type ConversionEvent,
  type Destination,
  type DestinationSettings,
  type HashedUserData,
  type PrepareResult,
  type SendResult,
} from '@capi-kit/core';
import { readEnv, requireSetting, sendToPlatform } from '../destination-kit';
import type {
  LinkedInBatchCreateRequest,
  LinkedInConversionEvent,
  LinkedInConversionValue,
  LinkedInUser,
  LinkedInUserId,
} from './linkedin-api-types';
import { linkedinCallError, linkedinElementOutcome } from './linkedin-error';

/** Settings of `linkedin()`. */
export interface LinkedInSettings extends DestinationSettings {
  /**
   * A member OAuth access token with the conversions scope of the ad account (Campaign Manager ›
   * Conversions API, or the OAuth flow; tokens last 60 days). Env `LINKEDIN_ACCESS_TOKEN`.
   */
  accessToken?: string;
  /**
   * Conversion rule ID per canonical event name (`{ Purchase: 104012 }`), the same map the Insight
   * Tag adapter takes. Env `LINKEDIN_CONVERSIONS` as JSON (`{"Purchase":104012}`).
   */
  conversions?: Record<string, number | string>;
  /**
   * The `LinkedIn-Version` header [`202604`]. LinkedIn versions monthly and sunsets each version
   * about a year later (a sunset version is a configuration error). Env `LINKEDIN_API_VERSION`.
   */
  apiVersion?: string;
  /** Destination ID in the ledger and queues [`linkedin`]; set one per ad account if you send to several. */
  id?: string;
  /** Timeout of one HTTP call, in ms [10 000]. */
  timeoutMs?: number;
}

/** A prepared LinkedIn event: what the queue stores (hashed e-mail only, never the raw one). */
export type LinkedInPayload = LinkedInConversionEvent;

/** `BATCH_CREATE` takes at most 5 000 elements (platforms.md §9.1). */
const MAX_EVENTS_PER_REQUEST = 5000;

const DAY_MS = 24 * 3600_000;

/**
 * LinkedIn rejects events older than 90 days (§9.1). Like Meta's, the window stops 10 minutes
 * short: our clock and LinkedIn's may differ and the send itself takes time.
 */
const MAX_EVENT_AGE_MS = 90 * DAY_MS - 10 * 60_000;

/**
 * The newest version seen in the sources (Stape's tag; Segment pins 202603, RudderStack 202511,
 * which is sunset on 2026-11-16 per LinkedIn's FAQ). The exact set of live versions is not in
 * platforms.md; a newer one can be passed as `apiVersion`.
 */
const DEFAULT_API_VERSION = '202604';

const CONVERSION_URN = 'urn:lla:llaPartnerConversion:';

/**
 * Creates the LinkedIn Conversions API destination.
 *
 * @example
 * import { linkedin } from '@capi-kit/server/linkedin';
 * createRelay({ destinations: [linkedin({ accessToken, conversions: { Purchase: 104012 } })] });
 */
export function linkedin(settings: LinkedInSettings = {}): Destination<LinkedInPayload> {
  const accessToken = requireSetting(
    'linkedin',
    'accessToken',
    settings.accessToken,
    'LINKEDIN_ACCESS_TOKEN',
  );
  const rules = conversionRules(settings.conversions);
  const apiVersion = (
    settings.apiVersion ??
    readEnv('LINKEDIN_API_VERSION') ??
    DEFAULT_API_VERSION
  ).trim();
  if (!/^\d{6}(\.\d{2})?$/.test(apiVersion)) {
    throw new ConfigError(
      `linkedin: \`apiVersion\` must be a LinkedIn-Version like 202604 (YYYYMM); got "${apiVersion}"`,
    );
  }
  const origin = (settings.baseURL ?? 'https://api.linkedin.com').replace(/\/+$/, '');
  const url = `${origin}/rest/conversionEvents`;
  // The token travels in a header only, so it never lands in a URL, a ledger exchange or a log.
  const headers = {
    ...settings.headers,
    authorization: `Bearer ${accessToken}`,
    'linkedin-version': apiVersion,
    'x-restli-protocol-version': '2.0.0',
    'x-restli-method': 'BATCH_CREATE',
  };

  return {
    specVersion: 'v1',
    id: settings.id ?? 'linkedin',
    platform: 'linkedin',
    maxEventsPerRequest: MAX_EVENTS_PER_REQUEST,
    maxEventAgeMs: () => MAX_EVENT_AGE_MS,
    async doPrepare(event: ConversionEvent): Promise<PrepareResult<LinkedInPayload>> {
      // The tag looks the rule up by canonical name (`conversions[event.name]`); linkedinEventName
      // is that name, so pixel and server copies always name the same rule.
      const rule = rules.get(linkedinEventName(event.name));
      if (rule === undefined) {
        return {
          kind: 'skip',
          reason: `no LinkedIn conversion rule for "${event.name}" (add it to \`conversions\`)`,
        };
      }
      if (event.consent?.limitedDataUse === true) {
        // Meta and TikTok get limited data use as a flag with the event; LinkedIn's API has no
        // such mode (§0: "Limited-data / consent: none"), so the only way to honour a US
        // state-privacy opt-out is not to send the event at all.
        return {
          kind: 'skip',
          reason: 'consent: limited data use, which LinkedIn has no mode for',
        };
      }
      try {
        const hashed = await hashUserData('linkedin', event.user);
        return buildLinkedInEvent(event, rule, hashed);
      } catch (error) {
        return { kind: 'skip', reason: `could not map the event for LinkedIn: ${describe(error)}` };
      }
    },
    async doSend(batch, options): Promise<SendResult> {
      const body: LinkedInBatchCreateRequest = { elements: batch.map((event) => event.payload) };
      const { response, exchange } = await sendToPlatform({
        url,
        body,
        headers,
        settings,
        signal: options.signal,
      });
      if (response.status < 200 || response.status >= 300) {
        // A request-level error (schema validation, auth, throttling) concerns every element:
        // retried, reported once as configuration, or bisected by the relay down to the bad event.
        const error = linkedinCallError(response.status, response.body, response.headers);
        throw Object.assign(error, { exchange });
      }
      // A BATCH_CREATE answers per element, in request order (`{ elements: [{ status: 201 }] }`).
      const elements = readElements(response.body);
      return {
        outcomes: batch.map((_, index) => linkedinElementOutcome(elements?.[index])),
        exchange,
      };
    },
  };
}

/** Canonical event → LinkedIn conversion event, or a skip when LinkedIn could not match anyone. */
function buildLinkedInEvent(
  event: ConversionEvent,
  rule: string,
  hashed: HashedUserData,
): PrepareResult<LinkedInPayload> {
  const userIds: LinkedInUserId[] = [];
  // One value per idType: LinkedIn's schema shows one SHA256_EMAIL; whether it takes several is
  // UNCONFIRMED, and one unknown shape would cost the whole request, so only the first is sent.
  const email = hashed.email?.[0];
  if (email) userIds.push({ idType: 'SHA256_EMAIL', idValue: email });
  const liFatId = hashed.liFatId?.[0];
  if (liFatId) userIds.push({ idType: 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', idValue: liFatId });
  // Not sent: the IP (`PLAINTEXT_IP_ADDRESS` appears only in Stape's tag, not in LinkedIn's schema
  // as platforms.md read it; an unknown idType would fail the request) and the phone (§13: none).
  if (userIds.length === 0) {
    // Segment requires one userId too; matching on name alone (`userIds: []`) is UNCONFIRMED.
    return {
      kind: 'skip',
      reason: 'LinkedIn needs an e-mail or the li_fat_id click ID to match the member',
    };
  }
  const user: LinkedInUser = { userIds };
  const firstName = hashed.firstName?.[0];
  const lastName = hashed.lastName?.[0];
  // §9.2: userInfo needs both names, so the country travels only with them.
  if (firstName && lastName) {
    user.userInfo = { firstName, lastName };
    const country = hashed.country?.[0];
    if (country) user.userInfo.countryCode = country.toUpperCase();
  }
  const externalId = hashed.externalId?.[0];
  if (externalId) user.externalIds = [externalId];

  const payload: LinkedInConversionEvent = {
    conversion: `${CONVERSION_URN}${rule}`,
    // Milliseconds, as the canonical time already is (§11.5: LinkedIn is not a seconds platform).
    conversionHappenedAt: Math.floor(event.time),
    eventId: event.id,
    user,
  };
  const value = conversionValue(event.data);
  if (value) payload.conversionValue = value;
  return { kind: 'ready', payload };
}

/** `{ currencyCode, amount }` when the event has a finite value and a currency; amount is a string. */
function conversionValue(data: ConversionEvent['data']): LinkedInConversionValue | undefined {
  if (!data || typeof data.value !== 'number' || !Number.isFinite(data.value)) return undefined;
  if (typeof data.currency !== 'string' || !/^[a-z]{3}$/i.test(data.currency.trim())) {
    return undefined;
  }
  return { currencyCode: data.currency.trim().toUpperCase(), amount: String(data.value) };
}

function readElements(body: unknown): unknown[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const elements = (body as { elements?: unknown }).elements;
  return Array.isArray(elements) ? elements : undefined;
}

/** The `conversions` setting (else `LINKEDIN_CONVERSIONS`) as canonical name → rule ID string. */
function conversionRules(
  setting: Record<string, number | string> | undefined,
): Map<string, string> {
  let source: unknown = setting;
  if (source === undefined) {
    const text = readEnv('LINKEDIN_CONVERSIONS');
    if (text !== undefined) {
      try {
        source = JSON.parse(text);
      } catch {
        throw new ConfigError(
          'linkedin: LINKEDIN_CONVERSIONS must be JSON like {"Purchase":104012}',
        );
      }
    }
  }
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    source = {};
  }
  const rules = new Map<string, string>();
  for (const [name, id] of Object.entries(source as Record<string, unknown>)) {
    const text = typeof id === 'number' ? String(id) : typeof id === 'string' ? id.trim() : '';
    if (!/^[1-9]\d*$/.test(text)) {
      throw new ConfigError(
        `linkedin: the conversion rule ID for "${name}" must be a positive integer; got ${JSON.stringify(id)}`,
      );
    }
    rules.set(name, text);
  }
  if (rules.size === 0) {
    throw new ConfigError(
      'linkedin: the `conversions` setting is required: map event names to conversion rule IDs, e.g. { Purchase: 104012 } (or set LINKEDIN_CONVERSIONS)',
    );
  }
  return rules;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
