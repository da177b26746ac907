/**
 * `@capi-kit/server/google`: the GA4 Measurement Protocol destination (`googleAnalytics`) and the
 * Google Ads conversions destination through the Data Manager API (`googleAds`).
 */
export {
  googleAnalytics,
  type GoogleAnalyticsPayload,
  type GoogleAnalyticsSettings,
} from './google-analytics-destination';
export {
  googleAds,
  type GoogleAccessTokenGetter,
  type GoogleAdsSettings,
} from './google-ads-destination';
export type {
  DataManagerEvent,
  DataManagerIngestRequest,
  Ga4Event,
  Ga4Request,
  Ga4UserData,
  Ga4ValidationMessage,
} from './google-api-types';
