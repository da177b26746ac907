/**
 * Settings the browser side of the demo may see: pixel IDs are public by nature (they appear in
 * every page that loads a pixel). Access tokens never appear here.
 */

export interface PublicDemoConfig {
  mode: 'fake' | 'real';
  /** Where the stand-in pixels report their copy (`POST {fakeUrl}/__pixel/{platform}`); fake mode only. */
  fakeUrl?: string;
  metaPixelId?: string;
  ga4MeasurementId?: string;
  /** Google Ads conversion target of the Google tag, `AW-<id>/<label>`. */
  googleAdsSendTo?: string;
  tiktokPixelCode?: string;
}

/** IDs used against the local fakes. They are shaped like real ones so the fakes' checks apply. */
export const DEMO_PIXEL_IDS = {
  metaPixelId: '1234567890123456',
  ga4MeasurementId: 'G-DEMO123456',
  googleAdsCustomerId: '1234567890',
  googleAdsConversionActionId: '987654321',
  googleAdsSendTo: 'AW-1234567890/demoPurchase',
  tiktokPixelCode: 'CDEMO12345ABCDE67890',
} as const;
