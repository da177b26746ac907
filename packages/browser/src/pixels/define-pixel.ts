/**
 * The one implementation behind every pixel adapter: use the platform's global if the site loaded
 * it, or install the platform's queue stub and load its official script when `load` is set; report
 * `blocked` when the global is missing, the script failed to load (an ad blocker), or the call
 * threw, so that the outcome can ride on the beacon and the ledger can say which pixels were lost.
 */
import {
  type Consent,
  type EventData,
  type NormalizableField,
  type Platform,
  type UserData,
} from '@capi-kit/core';
import type { PixelAdapter, PixelEvent } from '../types';

/** A platform global such as `fbq`, `ttq` or `gtag`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PlatformGlobal = any;

/** The settings every adapter accepts. */
export interface LoadOption {
  /** Load the platform's official script (and its queue stub) when the site has not loaded it. */
  load?: boolean;
}

/** What an adapter file declares; `definePixel` turns it into a `PixelAdapter`. */
export interface PixelDefinition {
  platform: Platform;
  /**
   * The platform's event-name function from core (`tiktokEventName`…); absent when the platform
   * takes the canonical name as is (Meta, LinkedIn). Each adapter imports only its own, so a
   * bundle carries only the name tables of the pixels it uses.
   */
  eventName?: (name: string) => string;
  /** Name of the platform's global (`fbq`). */
  global: string;
  /** URL of the official script, when it is to be loaded. */
  script?: string | false;
  /** Installs the platform's queue stub on `window` (only when loading the script). */
  install(window: PlatformGlobal): void;
  /** Initializes a pixel this adapter loaded (a site-loaded pixel was initialized by the site). */
  init?(pixel: PlatformGlobal, user: UserData): void;
  /**
   * Calls the pixel for one event, `name` being the platform's own event name. Returns `null` when
   * the pixel does not take this event (nothing is reported for it).
   */
  fire(pixel: PlatformGlobal, event: PixelEvent, name: string): null | void;
  /** Passes new advanced-matching data; does nothing when none of it applies to the platform. */
  identify?(pixel: PlatformGlobal, user: UserData): void;
  /** Forwards a consent change. */
  consent?(pixel: PlatformGlobal, consent: Consent): void;
}

/**
 * Copies fields of `source` into `base` by a spec of space-separated entries: `from>to` copies
 * `source[from]` to `to`, a bare `name` copies it to its snake_case form (`numItems` →
 * `num_items`, which is what most pixels call their parameters). A string spec gzips far smaller
 * than the object literals it replaces. `undefined` values (in `base` too) are left out, so the
 * platform call holds only what is known.
 */
export function pick(
  source: object | undefined,
  spec: string,
  base: Record<string, unknown> = {},
): Record<string, unknown> {
  for (const entry of spec.split(' ')) {
    const [from, to = from!.replace(/[A-Z]/g, '_$&').toLowerCase()] = entry.split('>');
    base[to] = (source as Record<string, unknown> | undefined)?.[from!];
  }
  for (const key in base) if (base[key] === undefined) delete base[key];
  return base;
}

/**
 * Normalizes one advanced-matching value for a platform. `normalize` from `@capi-kit/core` is the
 * one to pass: the server normalizes with it too, so pixel and server hashes agree
 * (peers-and-pain-points #20).
 */
export type MatchNormalizer = (
  field: NormalizableField,
  value: unknown,
  platform: Platform,
) => string | undefined;

let normalizer: MatchNormalizer | undefined;

/**
 * Sets the normalizer for advanced-matching data (the tracker's `normalize` option). Without one,
 * values go to the pixels trimmed, as typed, and each pixel normalizes them itself before hashing:
 * core's normalizer with its country and state tables is about 3.5 KB gzipped, most of the budget
 * of the whole `<script>` build, so it is opt-in.
 */
export function useNormalizer(next: MatchNormalizer | undefined): void {
  normalizer = next;
}

/**
 * Advanced-matching data for a pixel: each of the platform's keys filled from a user field, by a
 * spec of `field>key` entries (a bare `field` keeps its name). Only
 * the first value of a list is used, since pixels take one value per key. Returns `undefined` when
 * nothing is known.
 */
export function matchKeys(
  platform: Platform,
  user: UserData | undefined,
  spec: string,
): Record<string, string> | undefined {
  let result: Record<string, string> | undefined;
  for (const entry of spec.split(' ')) {
    const [field, key = field] = entry.split('>') as [NormalizableField, string?];
    let value = user?.[field];
    value = Array.isArray(value) ? value[0] : value;
    value = normalizer ? normalizer(field, value, platform) : (value as string)?.trim?.();
    if (value) (result ??= {})[key] = value as string;
  }
  return result;
}

/**
 * Installs the queue stub most platform snippets define: `window[name](...)` pushes its arguments
 * to `stub[queue]` until the platform's script defines `stub[handler]` and drains the queue.
 */
export function queueStub(
  page: PlatformGlobal,
  name: string,
  queue: string,
  handler?: string,
): PlatformGlobal {
  const stub: PlatformGlobal = (page[name] = (...args: unknown[]) =>
    handler && stub[handler] ? stub[handler](...args) : stub[queue].push(args));
  stub[queue] = [];
  return stub;
}

/** The product IDs of an event: `contentIds`, else the IDs of `contents`. */
export function contentIds(data: EventData): string[] | undefined {
  return data.contentIds ?? data.contents?.map((item) => item.id);
}

/** Builds a `PixelAdapter` from a platform definition. */
export function definePixel(definition: PixelDefinition): PixelAdapter {
  const page = window as PlatformGlobal;
  const global = definition.global;
  let failed: unknown;
  // While a script this adapter inserted is loading, outcomes wait for it: a call made then only
  // sits in the stub's queue, and an ad blocker's refusal arrives as the script's `error`.
  let loading: Promise<unknown> | undefined;
  const call = <T>(
    action: ((pixel: PlatformGlobal, value: T) => unknown) | undefined,
    value: T,
  ) => {
    try {
      if (page[global]) action?.(page[global], value);
    } catch {
      // A broken pixel must never break the page or the other pixels.
    }
  };
  return {
    platform: definition.platform,
    setup(user) {
      if (definition.script && !page[global]) {
        definition.install(page);
        // Inserted scripts load async by default (HTML's "force async"), so no `async` to set.
        const script = document.createElement('script');
        script.src = definition.script;
        loading = new Promise((settle) => {
          script.onload = () => settle((loading = undefined));
          script.onerror = () => settle((failed = 1));
        });
        document.head.appendChild(script);
        call(definition.init, user);
      } else {
        // A pixel the site loaded itself was initialized by the site; only add the matching data.
        call(definition.identify, user);
      }
    },
    track(event) {
      const pixel = page[global];
      const lost = !pixel || failed;
      try {
        const name = definition.eventName ? definition.eventName(event.name) : event.name;
        // A missing or failed pixel gets a stand-in that records nothing, so that an event the
        // adapter does not take (LinkedIn without a conversion rule) reports nothing in every
        // state of the script, not `blocked` once it failed; a stand-in that lacks a method the
        // adapter calls (`ttq.track`) throws, which is `blocked` too.
        if (definition.fire(lost ? () => {} : pixel, event, name) === null) return undefined;
      } catch {
        return 'blocked';
      }
      return lost
        ? 'blocked'
        : loading
          ? loading.then(() => (failed ? 'blocked' : 'fired'))
          : 'fired';
    },
    identify: (user) => call(definition.identify, user),
    consent: (consent) => call(definition.consent, consent),
  };
}
