/**
 * The set-up the fakes' own tests share: the fakes started once per test file on loopback, reset
 * before each test and closed after the file, and a raw POST that reads any answer (JSON or the
 * plain-text 401/404 pages). Call `useFakePlatforms` at the top level of a test file: it registers
 * the vitest hooks.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakePlatforms } from '../start-fake-platforms';
import type { FakePlatforms } from '../fake-types';

/** A parsed JSON body, read loosely by the tests. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The running fakes of one test file. */
export interface FakePlatformsHarness {
  /** The fakes (available from `beforeAll` on). */
  readonly fake: FakePlatforms;
}

/**
 * Starts the fakes on `clock` before the file's tests, resets them before each test, closes them
 * after.
 *
 * @example
 * const platforms = useFakePlatforms(() => NOW);
 * it('…', () => fetch(`${platforms.fake.url}/v3/…/events`, …));
 */
export function useFakePlatforms(clock: () => number): FakePlatformsHarness {
  let fake: FakePlatforms | undefined;
  beforeAll(async () => {
    fake = await startFakePlatforms({ clock });
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(() => fake?.reset());
  return {
    get fake() {
      if (!fake) throw new Error('the fake platforms start in beforeAll');
      return fake;
    },
  };
}

/** What a fake answered: the status, the body parsed as JSON (`{}` when it is not JSON) and as text. */
export interface FakeAnswer {
  status: number;
  body: Json;
  text: string;
}

/**
 * POSTs `body` as JSON (or `raw` as it is) to `url` with `headers` after `content-type`, and reads
 * the answer whatever its type.
 */
export async function postToFake(
  url: string,
  body: unknown,
  options: { headers?: Record<string, string>; raw?: string } = {},
): Promise<FakeAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.raw ?? JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Json = {};
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    // Not every answer has a JSON body (401 without a token, 404 pages).
  }
  return { status: response.status, body: parsed, text };
}

/** Options of a poster made by `fakePoster`. */
export interface FakePostOptions {
  /** Another path than the poster's endpoint. */
  path?: string;
  /** Headers over (or instead of) the poster's auth headers. */
  headers?: Record<string, string>;
  /** A body sent as it is instead of `body` as JSON. */
  raw?: string;
}

/**
 * A POST to one fake endpoint with its auth headers, for a fake's tests: `path` and `headers`
 * override them per call (to test a wrong path or a missing token).
 *
 * @example
 * const postSnapchat = fakePoster(platforms, `/v3/${PIXEL}/events`, { authorization: `Bearer ${TOKEN}` });
 */
export function fakePoster(
  platforms: FakePlatformsHarness,
  endpoint: string,
  auth: Record<string, string>,
): (body: unknown, options?: FakePostOptions) => Promise<FakeAnswer> {
  return (body, options = {}) =>
    postToFake(`${platforms.fake.url}${options.path ?? endpoint}`, body, {
      headers: { ...auth, ...options.headers },
      raw: options.raw,
    });
}
