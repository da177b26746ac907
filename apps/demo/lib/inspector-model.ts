/**
 * What the inspector shows, in plain words, computed from the relay's ledger entries and the
 * fake platforms' dedup verdicts: labels for each delivery state, pixel outcome and verdict, and
 * the totals. Kept apart from the React component so the wording is tested on its own.
 */
import type { DeliveryState, LedgerDelivery, LedgerEntry } from '@capi-kit/server';

/** Per event ID, per destination ID: the fake platform's dedup verdict. */
export type Verdicts = Record<string, Record<string, string>>;

export const PLATFORM_LABELS: Record<string, string> = {
  meta: 'Meta',
  google: 'Google',
  tiktok: 'TikTok',
  snapchat: 'Snapchat',
  pinterest: 'Pinterest',
  reddit: 'Reddit',
  linkedin: 'LinkedIn',
};

export function destinationLabel(delivery: LedgerDelivery): string {
  if (delivery.platform === 'google') {
    return delivery.destinationId.startsWith('google-ads') ? 'Google Ads' : 'Google Analytics';
  }
  return PLATFORM_LABELS[delivery.platform] ?? delivery.destinationId;
}

export type Tone = 'good' | 'warn' | 'bad' | '';

export function describeState(delivery: LedgerDelivery): { text: string; tone: Tone } {
  const reason = delivery.reason ? `: ${delivery.reason}` : '';
  const states: Record<DeliveryState, { text: string; tone: Tone }> = {
    queued: { text: 'Waiting to be sent', tone: '' },
    sent: { text: 'Sent, waiting for the answer', tone: '' },
    delivered: { text: 'Delivered', tone: 'good' },
    retrying: { text: `Retrying (attempt ${delivery.attempts})${reason}`, tone: 'warn' },
    rejected: { text: `Rejected by the platform${reason}`, tone: 'bad' },
    expired: { text: `Expired: too old for the platform${reason}`, tone: 'bad' },
    skipped: { text: `Not sent${reason || ': skipped'}`, tone: '' },
  };
  return states[delivery.state] ?? { text: delivery.state, tone: '' };
}

export const PIXEL_LABELS: Record<string, { text: string; tone: Tone }> = {
  fired: { text: 'fired', tone: 'good' },
  blocked: { text: 'blocked', tone: 'bad' },
  no_consent: { text: 'no consent', tone: 'warn' },
};

export const VERDICT_LABELS: Record<string, { text: string; tone: Tone }> = {
  matched: { text: 'Matched with the pixel copy (counted once)', tone: 'good' },
  server_only: { text: 'Server copy only: recovered what the pixel lost', tone: 'warn' },
  duplicate: { text: 'Duplicate: the server copy arrived twice', tone: 'bad' },
  pixel_only: { text: 'Pixel copy only', tone: 'warn' },
};

function sentDeliveries(entry: LedgerEntry): LedgerDelivery[] {
  return Object.values(entry.deliveries).filter((delivery) => delivery.state !== 'skipped');
}

export function isDelivered(entry: LedgerEntry): boolean {
  const sent = sentDeliveries(entry);
  return sent.length > 0 && sent.every((delivery) => delivery.state === 'delivered');
}

/**
 * The destinations to which the server copy delivered an event that the platform's own pixel lost:
 * the pixel was blocked, or the platform saw the server copy alone. These are the conversions the
 * relay recovered.
 */
export function recoveredDestinations(
  entry: LedgerEntry,
  verdicts: Record<string, string> | undefined,
): string[] {
  return Object.values(entry.deliveries)
    .filter(
      (delivery) =>
        delivery.state === 'delivered' &&
        (entry.pixels?.[delivery.platform] === 'blocked' ||
          verdicts?.[delivery.destinationId] === 'server_only'),
    )
    .map((delivery) => delivery.destinationId);
}

/** Whether the server copy recovered the event for at least one platform. */
export function isRecovered(
  entry: LedgerEntry,
  verdicts: Record<string, string> | undefined,
): boolean {
  return recoveredDestinations(entry, verdicts).length > 0;
}

/** The four numbers on top of the inspector. */
export function computeTotals(entries: readonly LedgerEntry[], verdicts: Verdicts) {
  return {
    events: entries.length,
    delivered: entries.filter(isDelivered).length,
    recovered: entries.filter((entry) => isRecovered(entry, verdicts[entry.eventId])).length,
    rejected: entries.filter((entry) =>
      Object.values(entry.deliveries).some((delivery) => delivery.state === 'rejected'),
    ).length,
  };
}

/** What the dedup column says when the fake has no verdict to show. */
export function verdictFallback(
  delivery: LedgerDelivery,
  verdict: string | undefined,
  mode: 'fake' | 'real',
): string {
  if (delivery.state === 'skipped') return '–';
  if (mode === 'real') return "shown in the platform's own tools (test events)";
  if (delivery.state !== 'delivered') return 'after delivery';
  return verdict === 'unknown' || !verdict ? 'not seen by the platform yet' : verdict;
}

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour12: false });
}

export function readEntries(json: unknown): LedgerEntry[] {
  if (Array.isArray(json)) return json as LedgerEntry[];
  const entries = (json as { entries?: unknown } | null)?.entries;
  return Array.isArray(entries) ? (entries as LedgerEntry[]) : [];
}
