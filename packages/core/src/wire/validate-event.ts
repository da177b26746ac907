/**
 * Validation of one conversion event from an untrusted source: a browser beacon or a caller of
 * `relay.track()`. It never throws, reports every problem with its path and rule, and builds a
 * fresh event from an allow-list: unknown keys are dropped, `__proto__`/`constructor`/`prototype`
 * are never copied, so nothing in the input can reach an object's prototype.
 */
import { DEVICE_FIELDS, IDENTIFIER_FIELDS, PERSONAL_FIELDS } from '../user-fields';
import { PLATFORMS } from '../event-names';
import type {
  Consent,
  ContentItem,
  ConversionEvent,
  EventData,
  EventSource,
  PageInfo,
  PixelOutcome,
  Platform,
  UserData,
} from '../event';
import type { ValidationIssue } from '../errors';
import { COLLECT_LIMITS } from './limits';

/** Options for `validateEvent`. */
export interface ValidateEventOptions {
  /** Path prefix of the event in issue paths, e.g. `events[3]`. Defaults to `event`. */
  path?: string;
  /** The current time, ms epoch. Defaults to `Date.now()`. */
  now?: number;
  /**
   * `beacon` (default): a browser event: `source` must be absent or `web`, `ip` and `userAgent`
   * are dropped (the server fills them), times older than `maxPastMs` are refused.
   * `server`: an event the server itself reports (`relay.track`): `source` is required and may be
   * any `EventSource`, `ip`/`userAgent` are kept, times up to `maxServerPastMs` old are accepted.
   */
  origin?: 'beacon' | 'server';
  /** Added to the event's `time` before checking it: the sender's clock error (see `parseCollectPayload`). */
  clockSkewMs?: number;
}

/** The outcome of `validateEvent`. */
export type ValidateEventResult =
  { ok: true; event: ConversionEvent } | { ok: false; errors: ValidationIssue[] };

const eventSources: readonly EventSource[] = [
  'web',
  'app',
  'offline',
  'physical_store',
  'phone_call',
  'email',
  'chat',
  'system',
  'other',
];
const platforms: readonly Platform[] = PLATFORMS;
const pixelOutcomes: readonly PixelOutcome[] = ['fired', 'blocked', 'no_consent'];
const consentKeys = ['adStorage', 'adUserData', 'adPersonalization', 'analyticsStorage'] as const;

const personalFields = PERSONAL_FIELDS;
const identifierFields = IDENTIFIER_FIELDS;
const dataStringFields = [
  'contentName',
  'contentType',
  'contentCategory',
  'searchString',
  'status',
] as const;
const contentStringFields = ['name', 'category', 'brand', 'variant'] as const;
// Spelled out rather than spread from `dataStringFields`: a spread is an iteration bundlers must
// assume has side effects, which kept this table in browser bundles that never validate.
const knownDataKeys = /* @__PURE__ */ new Set<string>([
  'value',
  'currency',
  'orderId',
  'contents',
  'contentIds',
  'numItems',
  'predictedLtv',
  'contentName',
  'contentType',
  'contentCategory',
  'searchString',
  'status',
]);
const forbiddenKeys = /* @__PURE__ */ new Set(['__proto__', 'constructor', 'prototype']);

// RFC 3986 unreserved characters: the ID goes into URLs, cookies and every platform's dedup key.
const idPattern = /^[A-Za-z0-9._~-]+$/;
// Letters and digits of any script, with space, `_ - . : /` between them; no control characters,
// quotes or markup, so a name is safe in logs, URLs and the inspector.
const namePattern = /^[\p{L}\p{N}](?:[\p{L}\p{N} _\-.:/]*[\p{L}\p{N}_])?$/u;
const customKeyPattern = /^[A-Za-z][A-Za-z0-9_]*$/;
const signaturePattern = /^[A-Za-z0-9._~+/=-]+$/;
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Collects issues for one validation run, bounded by `maxIssues`. */
export class IssueList {
  readonly issues: ValidationIssue[] = [];
  /** Every issue found, listed or not. */
  count = 0;
  private overflowed = false;

  add(path: string, message: string, rule: string): void {
    this.count += 1;
    if (this.issues.length < COLLECT_LIMITS.maxIssues) {
      this.issues.push({ path, message, rule });
    } else if (!this.overflowed) {
      this.overflowed = true;
      this.issues.push({
        path,
        message: `more than ${COLLECT_LIMITS.maxIssues} issues; the rest are not listed`,
        rule: 'too_many_issues',
      });
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const hasOwnProperty = Object.prototype.hasOwnProperty;

/** Reads an own data property without triggering getters or inherited values. */
export function ownValue(object: Record<string, unknown>, key: string): unknown {
  // Most allow-listed fields are absent from any one event: answer those without allocating a
  // descriptor (one per field looked up was the validator's largest source of garbage).
  if (!hasOwnProperty.call(object, key)) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor && 'value' in descriptor ? descriptor.value : undefined;
}

/**
 * Depth of nested objects and arrays, measured without recursion (a hostile input cannot overflow
 * the stack) and with a node budget (a huge flat input cannot take long). Returns `Infinity` when
 * the limit or the budget is exceeded.
 */
export function nestingDepth(value: unknown, limit: number, budget = 20_000): number {
  // Two parallel stacks rather than a stack of [value, depth] pairs: no pair per node.
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  let deepest = 0;
  let visited = 0;
  while (stack.length > 0) {
    const current = stack.pop();
    const depth = depths.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit || (visited += 1) > budget) return Number.POSITIVE_INFINITY;
    deepest = Math.max(deepest, depth);
    for (const key of Object.keys(current)) {
      // An own key: only the getter check of `ownValue` is needed.
      const descriptor = Object.getOwnPropertyDescriptor(current, key);
      const child = descriptor && 'value' in descriptor ? (descriptor.value as unknown) : undefined;
      if (typeof child === 'object' && child !== null) {
        stack.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return deepest;
}

function checkString(
  issues: IssueList,
  path: string,
  value: unknown,
  maxLength: number,
): string | undefined {
  if (typeof value !== 'string') {
    issues.add(path, 'must be a string', 'type');
    return undefined;
  }
  if (value.length > maxLength) {
    issues.add(path, `must be at most ${maxLength} characters`, 'max_length');
    return undefined;
  }
  if (controlCharacters.test(value)) {
    issues.add(path, 'must not contain control characters', 'pattern');
    return undefined;
  }
  return value;
}

function checkNumber(
  issues: IssueList,
  path: string,
  value: unknown,
  rules: { min?: number; integer?: boolean } = {},
): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    issues.add(path, 'must be a finite number', 'type');
    return undefined;
  }
  if (rules.integer && !Number.isInteger(value)) {
    issues.add(path, 'must be an integer', 'type');
    return undefined;
  }
  if (rules.min !== undefined && value < rules.min) {
    issues.add(path, `must be at least ${rules.min}`, 'range');
    return undefined;
  }
  return value;
}

function checkUrl(
  issues: IssueList,
  path: string,
  value: unknown,
  schemes: 'http' | 'any',
): string | undefined {
  const text = checkString(issues, path, value, COLLECT_LIMITS.maxUrlLength);
  if (text === undefined) return undefined;
  const pattern = schemes === 'http' ? /^https?:\/\/[^\s]+$/i : /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i;
  let parsed: URL | undefined;
  try {
    parsed = pattern.test(text) ? new URL(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.hostname === '') {
    issues.add(
      path,
      schemes === 'http' ? 'must be an absolute http(s) URL' : 'must be an absolute URL',
      'pattern',
    );
    return undefined;
  }
  return text;
}

function checkObject(
  issues: IssueList,
  path: string,
  value: unknown,
): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) {
    issues.add(path, 'must be an object', 'type');
    return undefined;
  }
  return value;
}

function validatePage(issues: IssueList, path: string, value: unknown): PageInfo | undefined {
  const input = checkObject(issues, path, value);
  if (!input) return undefined;
  const page: PageInfo = {};
  const url = ownValue(input, 'url');
  if (url !== undefined) {
    const checked = checkUrl(issues, `${path}.url`, url, 'http');
    if (checked !== undefined) page.url = checked;
  }
  const referrer = ownValue(input, 'referrer');
  // `document.referrer` is '' when there is none, and may be `android-app://…` from an app.
  if (referrer !== undefined && referrer !== '') {
    const checked = checkUrl(issues, `${path}.referrer`, referrer, 'any');
    if (checked !== undefined) page.referrer = checked;
  }
  const title = ownValue(input, 'title');
  if (title !== undefined) {
    const checked = checkString(issues, `${path}.title`, title, COLLECT_LIMITS.maxStringLength);
    if (checked !== undefined) page.title = checked;
  }
  return page;
}

function personalValue(issues: IssueList, path: string, value: unknown): string | undefined {
  // Phones and ZIP codes arrive as numbers from some forms; they are text to us.
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  const text = checkString(issues, path, value, COLLECT_LIMITS.maxUserValueLength);
  return text === undefined || text.trim() === '' ? undefined : text;
}

function validateUser(
  issues: IssueList,
  path: string,
  value: unknown,
  origin: 'beacon' | 'server',
): UserData | undefined {
  const input = checkObject(issues, path, value);
  if (!input) return undefined;
  const user: UserData = {};
  for (const field of personalFields) {
    const raw = ownValue(input, field);
    if (raw === undefined || raw === null) continue;
    if (Array.isArray(raw)) {
      if (raw.length > COLLECT_LIMITS.maxValuesPerUserField) {
        issues.add(
          `${path}.${field}`,
          `must have at most ${COLLECT_LIMITS.maxValuesPerUserField} values`,
          'max_items',
        );
        continue;
      }
      const values: string[] = [];
      raw.forEach((item, index) => {
        const text = personalValue(issues, `${path}.${field}[${index}]`, item);
        if (text !== undefined) values.push(text);
      });
      if (values.length > 0) user[field] = values;
    } else {
      const text = personalValue(issues, `${path}.${field}`, raw);
      if (text !== undefined) user[field] = text;
    }
  }
  const plainFields: readonly (keyof UserData)[] =
    origin === 'server' ? [...DEVICE_FIELDS, ...identifierFields] : identifierFields;
  for (const field of plainFields) {
    const raw = ownValue(input, field);
    if (raw === undefined || raw === null || raw === '') continue;
    const text = checkString(issues, `${path}.${field}`, raw, COLLECT_LIMITS.maxStringLength);
    if (text !== undefined && text.trim() !== '') (user as Record<string, string>)[field] = text;
  }
  return user;
}

function validateContents(issues: IssueList, path: string, value: unknown): ContentItem[] {
  if (!Array.isArray(value)) {
    issues.add(path, 'must be an array', 'type');
    return [];
  }
  if (value.length > COLLECT_LIMITS.maxContents) {
    issues.add(path, `must have at most ${COLLECT_LIMITS.maxContents} items`, 'max_items');
    return [];
  }
  const contents: ContentItem[] = [];
  value.forEach((raw, index) => {
    const itemPath = `${path}[${index}]`;
    const input = checkObject(issues, itemPath, raw);
    if (!input) return;
    const rawId = ownValue(input, 'id');
    let id: string | undefined;
    if (typeof rawId === 'number' && Number.isSafeInteger(rawId)) id = String(rawId);
    else if (rawId === undefined) issues.add(`${itemPath}.id`, 'is required', 'required');
    else id = checkString(issues, `${itemPath}.id`, rawId, COLLECT_LIMITS.maxUserValueLength);
    if (id !== undefined && id.trim() === '') {
      issues.add(`${itemPath}.id`, 'must not be empty', 'required');
      id = undefined;
    }
    const item: ContentItem = { id: id ?? '' };
    const quantity = ownValue(input, 'quantity');
    if (quantity !== undefined) {
      const checked = checkNumber(issues, `${itemPath}.quantity`, quantity, {
        min: 0,
        integer: true,
      });
      if (checked !== undefined) item.quantity = checked;
    }
    const price = ownValue(input, 'price');
    if (price !== undefined) {
      const checked = checkNumber(issues, `${itemPath}.price`, price, { min: 0 });
      if (checked !== undefined) item.price = checked;
    }
    for (const field of contentStringFields) {
      const raw = ownValue(input, field);
      if (raw === undefined) continue;
      const checked = checkString(
        issues,
        `${itemPath}.${field}`,
        raw,
        COLLECT_LIMITS.maxStringLength,
      );
      if (checked !== undefined) item[field] = checked;
    }
    if (id !== undefined) contents.push(item);
  });
  return contents;
}

function validateData(issues: IssueList, path: string, value: unknown): EventData | undefined {
  const input = checkObject(issues, path, value);
  if (!input) return undefined;
  const data: EventData = {};
  const rawValue = ownValue(input, 'value');
  if (rawValue !== undefined) {
    const checked = checkNumber(issues, `${path}.value`, rawValue, { min: 0 });
    if (checked !== undefined) data.value = checked;
  }
  const currency = ownValue(input, 'currency');
  if (currency !== undefined) {
    // ISO-4217 shape. Lowercase is accepted and uppercased: Meta's own docs sample sends `usd`
    // and its SDK uppercases (platforms.md §2.5); refusing it would lose real purchases.
    if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) {
      issues.add(`${path}.currency`, 'must be a three-letter ISO-4217 code', 'pattern');
    } else {
      data.currency = currency.toUpperCase();
    }
  }
  const orderId = ownValue(input, 'orderId');
  if (orderId !== undefined) {
    if (typeof orderId === 'number' && Number.isSafeInteger(orderId) && orderId >= 0) {
      data.orderId = String(orderId);
    } else {
      const checked = checkString(issues, `${path}.orderId`, orderId, COLLECT_LIMITS.maxIdLength);
      if (checked !== undefined && checked.trim() === '') {
        issues.add(`${path}.orderId`, 'must not be empty', 'required');
      } else if (checked !== undefined) data.orderId = checked;
    }
  }
  const contents = ownValue(input, 'contents');
  if (contents !== undefined)
    data.contents = validateContents(issues, `${path}.contents`, contents);
  const contentIds = ownValue(input, 'contentIds');
  if (contentIds !== undefined) {
    if (!Array.isArray(contentIds)) {
      issues.add(`${path}.contentIds`, 'must be an array', 'type');
    } else if (contentIds.length > COLLECT_LIMITS.maxContents) {
      issues.add(
        `${path}.contentIds`,
        `must have at most ${COLLECT_LIMITS.maxContents} items`,
        'max_items',
      );
    } else {
      const ids: string[] = [];
      contentIds.forEach((raw, index) => {
        const id =
          typeof raw === 'number' && Number.isSafeInteger(raw)
            ? String(raw)
            : checkString(
                issues,
                `${path}.contentIds[${index}]`,
                raw,
                COLLECT_LIMITS.maxUserValueLength,
              );
        if (id !== undefined && id.trim() !== '') ids.push(id);
      });
      data.contentIds = ids;
    }
  }
  const numItems = ownValue(input, 'numItems');
  if (numItems !== undefined) {
    const checked = checkNumber(issues, `${path}.numItems`, numItems, { min: 0, integer: true });
    if (checked !== undefined) data.numItems = checked;
  }
  const predictedLtv = ownValue(input, 'predictedLtv');
  if (predictedLtv !== undefined) {
    const checked = checkNumber(issues, `${path}.predictedLtv`, predictedLtv);
    if (checked !== undefined) data.predictedLtv = checked;
  }
  for (const field of dataStringFields) {
    const raw = ownValue(input, field);
    if (raw === undefined) continue;
    const checked = checkString(issues, `${path}.${field}`, raw, COLLECT_LIMITS.maxStringLength);
    if (checked !== undefined) data[field] = checked;
  }
  // Custom scalars pass through, bounded in count, name and length, so platforms that take extra
  // parameters (GA4 params, Meta custom_data) receive them.
  let customCount = 0;
  for (const key of Object.keys(input)) {
    if (knownDataKeys.has(key) || forbiddenKeys.has(key)) continue;
    const fieldPath = `${path}.${key.length > 60 ? `${key.slice(0, 60)}…` : key}`;
    if (key.length > COLLECT_LIMITS.maxCustomNameLength || !customKeyPattern.test(key)) {
      issues.add(
        fieldPath,
        `custom field names must be letters, digits and _ (starting with a letter), at most ${COLLECT_LIMITS.maxCustomNameLength} characters`,
        'pattern',
      );
      continue;
    }
    const raw = ownValue(input, key);
    if (raw === undefined || raw === null) continue;
    customCount += 1;
    if (customCount > COLLECT_LIMITS.maxCustomFields) {
      if (customCount === COLLECT_LIMITS.maxCustomFields + 1) {
        issues.add(
          path,
          `must have at most ${COLLECT_LIMITS.maxCustomFields} custom fields`,
          'max_items',
        );
      }
      continue;
    }
    if (typeof raw === 'boolean') data[key] = raw;
    else if (typeof raw === 'number') {
      const checked = checkNumber(issues, fieldPath, raw);
      if (checked !== undefined) data[key] = checked;
    } else if (typeof raw === 'string') {
      const checked = checkString(issues, fieldPath, raw, COLLECT_LIMITS.maxStringLength);
      if (checked !== undefined) data[key] = checked;
    } else {
      issues.add(fieldPath, 'custom fields must be a string, finite number or boolean', 'type');
    }
  }
  return data;
}

function validateConsent(issues: IssueList, path: string, value: unknown): Consent | undefined {
  const input = checkObject(issues, path, value);
  if (!input) return undefined;
  const consent: Consent = {};
  for (const key of consentKeys) {
    const raw = ownValue(input, key);
    if (raw === undefined) continue;
    if (raw === 'granted' || raw === 'denied') consent[key] = raw;
    else issues.add(`${path}.${key}`, "must be 'granted' or 'denied'", 'enum');
  }
  const limitedDataUse = ownValue(input, 'limitedDataUse');
  if (limitedDataUse !== undefined) {
    if (typeof limitedDataUse === 'boolean') consent.limitedDataUse = limitedDataUse;
    else issues.add(`${path}.limitedDataUse`, 'must be a boolean', 'type');
  }
  return consent;
}

function validatePixels(
  issues: IssueList,
  path: string,
  value: unknown,
): ConversionEvent['pixels'] | undefined {
  const input = checkObject(issues, path, value);
  if (!input) return undefined;
  const pixels: NonNullable<ConversionEvent['pixels']> = {};
  for (const platform of platforms) {
    const raw = ownValue(input, platform);
    if (raw === undefined) continue;
    if (pixelOutcomes.includes(raw as PixelOutcome)) pixels[platform] = raw as PixelOutcome;
    else issues.add(`${path}.${platform}`, "must be 'fired', 'blocked' or 'no_consent'", 'enum');
  }
  // Unknown platform keys are dropped: a newer browser SDK may know platforms this server does not.
  return pixels;
}

/**
 * Validates one event by the wire-format rules and returns a fresh, allow-listed copy, or every
 * issue found (each with its path and rule). Used by `parseCollectPayload` for each beacon event
 * and by the server's `relay.track()` (with `origin: 'server'`) so server events meet the same rules.
 * Never throws.
 *
 * @example
 * const result = validateEvent(
 *   { id: 'ord_1', name: 'Purchase', time: Date.now(), source: 'offline', data: { value: 5, currency: 'eur' } },
 *   { origin: 'server' },
 * );
 * if (result.ok) result.event.data?.currency; // 'EUR'
 */
export function validateEvent(
  input: unknown,
  options: ValidateEventOptions = {},
): ValidateEventResult {
  const issues = new IssueList();
  const event = validateEventInto(issues, input, options);
  return event && issues.count === 0 ? { ok: true, event } : { ok: false, errors: issues.issues };
}

/** `validateEvent` writing into a shared issue list (for whole beacons). */
export function validateEventInto(
  issues: IssueList,
  input: unknown,
  options: ValidateEventOptions,
): ConversionEvent | undefined {
  const path = options.path ?? 'event';
  const origin = options.origin ?? 'beacon';
  const now = options.now ?? Date.now();
  try {
    const object = checkObject(issues, path, input);
    if (!object) return undefined;
    if (nestingDepth(object, COLLECT_LIMITS.maxDepth) > COLLECT_LIMITS.maxDepth) {
      issues.add(path, `must not nest deeper than ${COLLECT_LIMITS.maxDepth} levels`, 'depth');
      return undefined;
    }
    const before = issues.count;

    const rawId = ownValue(object, 'id');
    let id: string | undefined;
    if (rawId === undefined) issues.add(`${path}.id`, 'is required', 'required');
    else if (typeof rawId !== 'string') issues.add(`${path}.id`, 'must be a string', 'type');
    else if (rawId.length === 0 || rawId.length > COLLECT_LIMITS.maxIdLength) {
      issues.add(
        `${path}.id`,
        `must be 1 to ${COLLECT_LIMITS.maxIdLength} characters`,
        'max_length',
      );
    } else if (!idPattern.test(rawId)) {
      issues.add(`${path}.id`, 'must contain only A-Z a-z 0-9 . _ ~ -', 'pattern');
    } else id = rawId;

    const rawName = ownValue(object, 'name');
    let name: string | undefined;
    if (rawName === undefined) issues.add(`${path}.name`, 'is required', 'required');
    else if (typeof rawName !== 'string') issues.add(`${path}.name`, 'must be a string', 'type');
    else if (rawName.length === 0 || rawName.length > COLLECT_LIMITS.maxNameLength) {
      issues.add(
        `${path}.name`,
        `must be 1 to ${COLLECT_LIMITS.maxNameLength} characters`,
        'max_length',
      );
    } else if (!namePattern.test(rawName)) {
      issues.add(
        `${path}.name`,
        'must be letters and digits, with space _ - . : / inside',
        'pattern',
      );
    } else name = rawName;

    const rawTime = ownValue(object, 'time');
    let time: number | undefined;
    if (rawTime === undefined) issues.add(`${path}.time`, 'is required', 'required');
    else {
      const checked = checkNumber(issues, `${path}.time`, rawTime, { min: 0 });
      if (checked !== undefined) {
        const corrected = Math.round(checked + (options.clockSkewMs ?? 0));
        const maxPast =
          origin === 'server' ? COLLECT_LIMITS.maxServerPastMs : COLLECT_LIMITS.maxPastMs;
        if (corrected < now - maxPast) {
          issues.add(
            `${path}.time`,
            `must be at most ${Math.round(maxPast / 86_400_000)} days in the past (ms since the epoch)`,
            'range',
          );
        } else if (corrected > now + COLLECT_LIMITS.maxFutureMs) {
          issues.add(`${path}.time`, 'must not be in the future', 'range');
        } else time = corrected;
      }
    }

    const rawSource = ownValue(object, 'source');
    let source: EventSource | undefined;
    if (origin === 'beacon') {
      if (rawSource === undefined || rawSource === 'web') source = 'web';
      else issues.add(`${path}.source`, "must be 'web' in a beacon", 'enum');
    } else if (rawSource === undefined) {
      issues.add(`${path}.source`, 'is required', 'required');
    } else if (eventSources.includes(rawSource as EventSource)) {
      source = rawSource as EventSource;
    } else {
      issues.add(`${path}.source`, `must be one of ${eventSources.join(', ')}`, 'enum');
    }

    const event = { id, name, time, source } as ConversionEvent;
    const page = ownValue(object, 'page');
    if (page !== undefined) {
      const checked = validatePage(issues, `${path}.page`, page);
      if (checked) event.page = checked;
    }
    const user = ownValue(object, 'user');
    if (user !== undefined) {
      const checked = validateUser(issues, `${path}.user`, user, origin);
      if (checked) event.user = checked;
    }
    const data = ownValue(object, 'data');
    if (data !== undefined) {
      const checked = validateData(issues, `${path}.data`, data);
      if (checked) event.data = checked;
    }
    const consent = ownValue(object, 'consent');
    if (consent !== undefined) {
      const checked = validateConsent(issues, `${path}.consent`, consent);
      if (checked) event.consent = checked;
    }
    const pixels = ownValue(object, 'pixels');
    if (pixels !== undefined) {
      const checked = validatePixels(issues, `${path}.pixels`, pixels);
      if (checked) event.pixels = checked;
    }
    const signature = ownValue(object, 'signature');
    if (signature !== undefined) {
      if (
        typeof signature !== 'string' ||
        signature.length === 0 ||
        signature.length > COLLECT_LIMITS.maxSignatureLength ||
        !signaturePattern.test(signature)
      ) {
        issues.add(
          `${path}.signature`,
          `must be a token of 1 to ${COLLECT_LIMITS.maxSignatureLength} URL-safe or base64 characters`,
          'pattern',
        );
      } else event.signature = signature;
    }
    return issues.count === before ? event : undefined;
  } catch {
    // Unreachable by design (no getters are run, no recursion); kept so a bug here can never turn
    // hostile input into a crash of the collect handler.
    issues.add(path, 'could not be read', 'type');
    return undefined;
  }
}
