/**
 * Consent: Google consent-mode keys set by the site, plus the IAB TCF v2 signal when a CMP exposes
 * `__tcfapi`. The tracker applies one decision to both channels (pixel and beacon), because
 * protecting one and forgetting the other is the common mistake (peers-and-pain-points #39).
 */
import type { Consent, ConsentState, UserData } from '@capi-kit/core';

/** Personal-data fields of `UserData`: dropped from the beacon when `adUserData` is denied and before persisting. */
export const PERSONAL_FIELDS =
  /* @__PURE__ */ 'email phone firstName lastName dateOfBirth gender city state zip country externalId'.split(
    ' ',
  ) as (keyof UserData)[];

/** A copy of `user` without personal data; identifiers (`fbp`, `fbc`, click IDs) stay. */
export function withoutPersonalData(user: UserData): UserData {
  const copy = { ...user };
  for (const field of PERSONAL_FIELDS) delete copy[field];
  return copy;
}

interface TcfData {
  gdprApplies?: boolean;
  eventStatus?: string;
  purpose?: { consents?: Record<string, boolean> };
}

type TcfApi = (
  command: string,
  version: number,
  callback: (data: TcfData, success: boolean) => void,
) => void;

/**
 * Follows the CMP's TCF v2 decisions (`addEventListener` fires on load and on every change).
 * Mapping from Google's "consent mode and IAB TCF" guide: purpose 1 (store/access on device) →
 * `adStorage` and `analyticsStorage`; purposes 3 and 4 (personalized ads profile and selection) →
 * `adPersonalization`; purposes 1 and 7 (measure ad performance) → `adUserData`. When GDPR does
 * not apply, or before the person decided, the site's own consent stays in force.
 */
export function watchTcf(onChange: (update: Consent) => void): void {
  const tcfapi = (window as unknown as { __tcfapi?: TcfApi }).__tcfapi;
  if (typeof tcfapi != 'function') return;
  tcfapi('addEventListener', 2, (data, success) => {
    if (!success || !data.gdprApplies || !/^(tcloaded|useractioncomplete)$/.test(data.eventStatus!))
      return;
    const purposes = data.purpose?.consents ?? {};
    const state = (granted: unknown): ConsentState => (granted ? 'granted' : 'denied');
    onChange({
      adStorage: state(purposes[1]),
      analyticsStorage: state(purposes[1]),
      adPersonalization: state(purposes[3] && purposes[4]),
      adUserData: state(purposes[1] && purposes[7]),
    });
  });
}
