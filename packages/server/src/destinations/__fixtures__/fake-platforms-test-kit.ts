/**
 * The set-up the destination tests against the `@capi-kit/testing` fakes share: the fakes started
 * once per test file on loopback and reset between tests, and for the delivery tests a relay with
 * `autoDeliver: false` and a hand-moved clock shared with the fakes, so every delivery happens in
 * `flush()` and no assertion depends on timing. Call these at the top level of a test file: they
 * register the vitest hooks.
 */
import type { Destination } from '@capi-kit/core';
import { startFakePlatforms, type FakePlatforms } from '@capi-kit/testing';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createRelay } from '../../relay/create-relay';
import { silentLogger } from '../../relay/logger';
import type { Relay, RelayOptions } from '../../relay/relay-types';
import { CANONICAL_NOW } from './canonical-event';

/** The running fakes of one test file. */
export interface FakePlatformsHarness {
  /** The fakes (available from `beforeAll` on). */
  readonly fake: FakePlatforms;
}

/**
 * Starts the fakes before the file's tests, resets them before each test, closes them after.
 *
 * @example
 * const platforms = useFakePlatforms({ clock: () => CANONICAL_NOW });
 * it('…', () => tiktok({ baseURL: platforms.fake.url, … }));
 */
export function useFakePlatforms(options: { clock?: () => number } = {}): FakePlatformsHarness {
  let fake: FakePlatforms | undefined;
  beforeAll(async () => {
    fake = await startFakePlatforms(options);
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(() => {
    fake?.reset();
  });
  return {
    get fake() {
      if (!fake) throw new Error('the fake platforms start in beforeAll');
      return fake;
    },
  };
}

/** The fakes and relays of one delivery test file, on a clock the tests move by hand. */
export interface RelayHarness extends FakePlatformsHarness {
  /** Moves the clock the relays and the fakes share (it starts at `CANONICAL_NOW` in each test). */
  advance(ms: number): void;
  /** A relay to `destinations` on the shared clock, delivering only in `flush()`; closed after the test. */
  relayTo(destinations: Destination[], options?: Partial<RelayOptions>): Relay;
}

/**
 * Starts the fakes for a delivery test file; after each test, closes its relays, resets the fakes
 * and puts the clock back to `CANONICAL_NOW`.
 *
 * @example
 * const delivery = useRelayHarness();
 * const relay = delivery.relayTo([tiktok({ baseURL: delivery.fake.url, … })]);
 */
export function useRelayHarness(): RelayHarness {
  let now = CANONICAL_NOW;
  let fake: FakePlatforms | undefined;
  const relays: Relay[] = [];
  beforeAll(async () => {
    fake = await startFakePlatforms({ clock: () => now });
  });
  afterAll(async () => {
    await fake?.close();
  });
  afterEach(async () => {
    for (const relay of relays.splice(0)) await relay.close();
    fake?.reset();
    now = CANONICAL_NOW;
  });
  return {
    get fake() {
      if (!fake) throw new Error('the fake platforms start in beforeAll');
      return fake;
    },
    advance(ms) {
      now += ms;
    },
    relayTo(destinations, options = {}) {
      const relay = createRelay({
        ...options,
        destinations,
        autoDeliver: false,
        now: () => now,
        logger: silentLogger,
      });
      relays.push(relay);
      return relay;
    },
  };
}
