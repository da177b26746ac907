/**
 * The beacon wire format v1: what the browser SDK POSTs to the collect endpoint, and the one
 * validator both the browser tests and the server use. Everything in a beacon is untrusted:
 * `parseCollectPayload` never throws, reports every problem with its path and rule, enforces the
 * limits in `COLLECT_LIMITS`, and returns fresh events built from an allow-list.
 */
import type { ConversionEvent } from '../event';
import type { ValidationIssue } from '../errors';
import { COLLECT_LIMITS, WIRE_VERSION } from './limits';
import { IssueList, ownValue, validateEventInto } from './validate-event';

/** An event as a browser may send it: `source` is `web` or absent; `ip`/`userAgent` are ignored. */
export type BeaconEvent = Omit<ConversionEvent, 'source'> & { source?: 'web' };

/** The body of a beacon (JSON; sent as `text/plain` by `sendBeacon`). */
export interface CollectPayload {
  /** Wire format version, `1`. */
  v: 1;
  /** 1 to `COLLECT_LIMITS.maxEventsPerBeacon` events. */
  events: BeaconEvent[];
  /** When the browser sent the beacon, by its own clock (ms epoch): lets the server correct clock skew. */
  sentAt?: number;
}

/** The outcome of `parseCollectPayload`. */
export type ParseResult =
  | { ok: true; events: ConversionEvent[]; sentAt?: number }
  | { ok: false; errors: ValidationIssue[] };

/**
 * Validates a beacon body (already `JSON.parse`d) and returns its events with `source: 'web'`, or
 * every issue found, each naming its path (`events[3].data.value`) and rule. One bad event fails
 * the whole beacon, so the browser gets a clear 400 and nothing is half-accepted.
 *
 * Time: when `sentAt` shows the browser clock off by more than a minute, event times are moved
 * onto the server's clock by that difference before the age checks, so a wrong device clock does
 * not lose or misdate events.
 *
 * @example
 * const result = parseCollectPayload(JSON.parse(body));
 * if (!result.ok) return Response.json({ errors: result.errors }, { status: 400 });
 */
export function parseCollectPayload(json: unknown, options: { now?: number } = {}): ParseResult {
  const issues = new IssueList();
  const now = options.now ?? Date.now();
  try {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      issues.add('', 'must be a JSON object', 'type');
      return { ok: false, errors: issues.issues };
    }
    const payload = json as Record<string, unknown>;
    const version = ownValue(payload, 'v');
    if (version !== WIRE_VERSION) {
      issues.add('v', `must be ${WIRE_VERSION} (the wire format version)`, 'version');
    }
    let sentAt: number | undefined;
    let clockSkewMs = 0;
    const rawSentAt = ownValue(payload, 'sentAt');
    if (rawSentAt !== undefined) {
      if (typeof rawSentAt !== 'number' || !Number.isFinite(rawSentAt) || rawSentAt <= 0) {
        issues.add('sentAt', 'must be a positive finite number (ms since the epoch)', 'type');
      } else {
        sentAt = rawSentAt;
        const skew = now - rawSentAt;
        if (Math.abs(skew) > COLLECT_LIMITS.clockSkewToleranceMs) clockSkewMs = skew;
      }
    }
    const rawEvents = ownValue(payload, 'events');
    const events: ConversionEvent[] = [];
    if (rawEvents === undefined) {
      issues.add('events', 'is required', 'required');
    } else if (!Array.isArray(rawEvents)) {
      issues.add('events', 'must be an array', 'type');
    } else if (rawEvents.length === 0) {
      issues.add('events', 'must hold at least one event', 'required');
    } else if (rawEvents.length > COLLECT_LIMITS.maxEventsPerBeacon) {
      issues.add(
        'events',
        `must hold at most ${COLLECT_LIMITS.maxEventsPerBeacon} events`,
        'max_items',
      );
    } else {
      const ids = new Set<string>();
      rawEvents.forEach((raw, index) => {
        const path = `events[${index}]`;
        const event = validateEventInto(issues, raw, { path, now, origin: 'beacon', clockSkewMs });
        if (!event) return;
        // A retried beacon can repeat an event: same (name, id) is the same event (the platforms'
        // dedup key), so it is kept once.
        const key = `${event.name}\u0000${event.id}`;
        if (ids.has(key)) return;
        ids.add(key);
        events.push(event);
      });
    }
    if (issues.count > 0) return { ok: false, errors: issues.issues };
    return sentAt === undefined ? { ok: true, events } : { ok: true, events, sentAt };
  } catch {
    issues.add('', 'could not be read', 'type');
    return { ok: false, errors: issues.issues };
  }
}
