/**
 * One small error hierarchy shared by the browser and the server. `isCapiKitError` works across
 * duplicate copies of the package (a symbol marker instead of `instanceof`).
 */
const marker = Symbol.for('capi-kit.error');

/** The base of every error capi-kit throws. */
export class CapiKitError extends Error {
  declare readonly [marker]: true;
  override name = 'CapiKitError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Set here rather than as a computed class field: compiled for older targets, a computed field
    // becomes top-level assignments that bundlers must keep, so every browser bundle carried this
    // class even when nothing used it.
    (this as { [marker]: true })[marker] = true;
  }
  static isInstance(error: unknown): error is CapiKitError {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as Record<symbol, unknown>)[marker] === true
    );
  }
}

/** One problem found in an event or beacon: the path of the field and the rule it broke. */
export interface ValidationIssue {
  /** Where, e.g. `events[3].data.value`. */
  path: string;
  /** What rule, in plain words, e.g. `must be a finite number`. */
  message: string;
  /**
   * The rule's short machine-readable name (`type`, `required`, `max_length`, `pattern`, `range`,
   * `enum`, `max_items`, `depth`, `version`, `too_many_issues`), for clients that branch on it.
   */
  rule?: string;
}

/** An event (or beacon) that breaks the wire format. */
export class InvalidEventError extends CapiKitError {
  override name = 'InvalidEventError';
  readonly issues: readonly ValidationIssue[];
  constructor(issues: readonly ValidationIssue[]) {
    super(
      `invalid event: ${issues
        .slice(0, 5)
        .map((issue) => `${issue.path} ${issue.message}`)
        .join('; ')}${issues.length > 5 ? ` (+${issues.length - 5} more)` : ''}`,
    );
    this.issues = issues;
  }
}

/** A configuration mistake (missing pixel ID, bad option). Thrown at start-up, never per event. */
export class ConfigError extends CapiKitError {
  override name = 'ConfigError';
}

/** A call to a platform API that failed as a whole. */
export class DestinationCallError extends CapiKitError {
  override name = 'DestinationCallError';
  /** HTTP status, when there was a response. */
  readonly statusCode: number | undefined;
  /** Whether trying the same request later may succeed (network error, timeout, 408/429/5xx, transient codes). */
  readonly isRetryable: boolean;
  /** How long the platform asked us to wait, in ms (`Retry-After`). */
  readonly retryAfterMs: number | undefined;
  /** The platform's own error code (Meta `190`, TikTok `40100`…). */
  readonly platformCode: string | number | undefined;
  /** The platform's trace ID (Meta `fbtrace_id`), for support tickets. */
  readonly traceId: string | undefined;
  /**
   * The failure concerns the destination's configuration (bad or expired token, unknown pixel), not
   * the events: the relay does not bisect the batch, and reports it once rather than per event.
   */
  readonly isConfigurationError: boolean;
  /** The parsed response body, for the ledger. */
  readonly responseBody: unknown;
  constructor(
    message: string,
    details: {
      statusCode?: number;
      isRetryable: boolean;
      retryAfterMs?: number;
      platformCode?: string | number;
      traceId?: string;
      isConfigurationError?: boolean;
      responseBody?: unknown;
      cause?: unknown;
    },
  ) {
    super(message, { cause: details.cause });
    this.statusCode = details.statusCode;
    this.isRetryable = details.isRetryable;
    this.retryAfterMs = details.retryAfterMs;
    this.platformCode = details.platformCode;
    this.traceId = details.traceId;
    this.isConfigurationError = details.isConfigurationError ?? false;
    this.responseBody = details.responseBody;
  }
}
