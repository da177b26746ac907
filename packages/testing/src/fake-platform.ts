/**
 * The state every fake platform shares: its request log, accepted events, scripted responses,
 * outage switch, token rules and dedup ledger. The platform modules only validate and answer;
 * this class records what they decided.
 */
import type {
  DedupEntry,
  DedupStats,
  DedupVerdict,
  FakePlatform,
  FakePlatformName,
  PixelHit,
  ReceivedEvent,
  RecordedRequest,
  ScriptedResponse,
} from './fake-types';

/** Meta and TikTok both deduplicate pixel and server copies received within 48 h (platforms.md §2.6, §5.4). */
export const DEDUP_WINDOW_MS = 48 * 60 * 60 * 1000;

/** How a platform builds its dedup key (platforms.md §15). */
export type DedupKeyScope =
  /** `(pixel, event name, event id)`: Meta, TikTok, GA4. */
  | 'pixel-name-id'
  /** `transactionId` alone: Data Manager (the tag's conversion ID differs from the API's destination ID). */
  | 'id'
  /**
   * `(pixel, event id)`, names ignored: Reddit's `conversion_id` (the pixel spells names
   * differently), Snapchat's `client_dedup_id` ⇄ `event_id` (§6.4).
   */
  | 'pixel-id';

interface LedgerRow {
  pixelId: string | undefined;
  eventName: string;
  eventId: string;
  serverCopies: number;
  pixelCopies: number;
  firstSeenAt: number;
}

/** An event a platform module accepted, before the shared state stamps it. */
export type AcceptedEvent = Omit<ReceivedEvent, 'platform' | 'deduplicated' | 'receivedAt'>;

export class FakePlatformState implements FakePlatform {
  readonly requests: RecordedRequest[] = [];
  readonly events: ReceivedEvent[] = [];
  private scripted: ScriptedResponse[] = [];
  private outage: ScriptedResponse | undefined;
  private rejectedTokens = new Set<string>();
  private acceptedTokens: Set<string> | undefined;
  private ledger: LedgerRow[] = [];

  constructor(
    readonly name: FakePlatformName,
    private readonly clock: () => number,
    private readonly keyScope: DedupKeyScope,
  ) {}

  respondWith(...responses: ScriptedResponse[]): void {
    this.scripted.push(...responses);
  }

  setOutage(response: ScriptedResponse | undefined): void {
    this.outage = response;
  }

  /** The fault to apply to the next request, if any: the outage wins over the script. */
  takeFault(): { response: ScriptedResponse; source: 'outage' | 'scripted' } | undefined {
    if (this.outage) return { response: this.outage, source: 'outage' };
    const next = this.scripted.shift();
    return next ? { response: next, source: 'scripted' } : undefined;
  }

  rejectToken(token: string): void {
    this.rejectedTokens.add(token);
  }

  acceptTokens(tokens: string[] | undefined): void {
    this.acceptedTokens = tokens ? new Set(tokens) : undefined;
  }

  /** `missing` and `rejected` map to different messages on every platform. */
  checkToken(token: string | undefined): 'ok' | 'missing' | 'rejected' {
    if (!token) return 'missing';
    if (this.rejectedTokens.has(token)) return 'rejected';
    if (this.acceptedTokens && !this.acceptedTokens.has(token)) return 'rejected';
    return 'ok';
  }

  /** Stamp and store an accepted server copy, feeding the dedup ledger unless validation-only. */
  accept(event: AcceptedEvent, receivedAt: number): ReceivedEvent {
    let deduplicated = false;
    if (!event.validationOnly && event.eventId !== undefined) {
      const row = this.rowFor(event.pixelId, event.eventName, event.eventId, receivedAt);
      deduplicated = row.serverCopies > 0;
      row.serverCopies += 1;
    }
    const received: ReceivedEvent = {
      ...event,
      platform: this.name,
      deduplicated,
      receivedAt,
    };
    this.events.push(received);
    return received;
  }

  recordPixelHit(hit: PixelHit): void {
    const at = hit.at ?? this.clock();
    const row = this.rowFor(hit.pixelId, hit.eventName, hit.eventId, at);
    row.pixelCopies += 1;
  }

  dedupVerdict(eventName: string, eventId: string, pixelId?: string): DedupVerdict {
    const rows = this.ledger.filter((row) => this.rowMatches(row, eventName, eventId, pixelId));
    if (rows.length === 0) return 'unknown';
    // Several rows exist when copies fell into different 48 h windows; the newest one counts.
    return verdictOf(rows[rows.length - 1]!);
  }

  dedupStats(): DedupStats {
    const stats: DedupStats = { matched: 0, serverOnly: 0, pixelOnly: 0, duplicates: 0 };
    for (const row of this.ledger) {
      const verdict = verdictOf(row);
      if (verdict === 'matched') stats.matched += 1;
      else if (verdict === 'server_only') stats.serverOnly += 1;
      else if (verdict === 'pixel_only') stats.pixelOnly += 1;
      else if (verdict === 'duplicate') stats.duplicates += 1;
    }
    return stats;
  }

  dedupEntries(): DedupEntry[] {
    return this.ledger.map((row) => ({ ...row, verdict: verdictOf(row) }));
  }

  reset(): void {
    this.requests.length = 0;
    this.events.length = 0;
    this.scripted = [];
    this.outage = undefined;
    this.rejectedTokens.clear();
    this.acceptedTokens = undefined;
    this.ledger = [];
  }

  private rowMatches(
    row: LedgerRow,
    eventName: string,
    eventId: string,
    pixelId: string | undefined,
  ): boolean {
    if (row.eventId !== eventId) return false;
    if (this.keyScope === 'id') return true;
    if (this.keyScope !== 'pixel-id' && row.eventName !== eventName) return false;
    // A pixel hit recorded without a pixel ID pairs with any pixel's server copy.
    return pixelId === undefined || row.pixelId === undefined || row.pixelId === pixelId;
  }

  private rowFor(
    pixelId: string | undefined,
    eventName: string,
    eventId: string,
    at: number,
  ): LedgerRow {
    for (let index = this.ledger.length - 1; index >= 0; index -= 1) {
      const row = this.ledger[index]!;
      if (!this.rowMatches(row, eventName, eventId, pixelId)) continue;
      // Copies more than 48 h apart are not deduplicated: they start a new key window.
      if (Math.abs(at - row.firstSeenAt) > DEDUP_WINDOW_MS) break;
      if (row.pixelId === undefined) row.pixelId = pixelId;
      return row;
    }
    const row: LedgerRow = {
      pixelId,
      eventName,
      eventId,
      serverCopies: 0,
      pixelCopies: 0,
      firstSeenAt: at,
    };
    this.ledger.push(row);
    return row;
  }
}

function verdictOf(row: LedgerRow): DedupVerdict {
  if (row.serverCopies > 1) return 'duplicate';
  if (row.serverCopies === 1 && row.pixelCopies > 0) return 'matched';
  if (row.serverCopies === 1) return 'server_only';
  if (row.pixelCopies > 0) return 'pixel_only';
  return 'unknown';
}
