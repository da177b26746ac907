/**
 * Test helpers shared by the destination unit tests: a fetch that records what a destination
 * sends, `doPrepare` unwrapped into the `PreparedEvent` the relay would hand to `doSend`, and the
 * error a `doSend` threw.
 */
import {
  DestinationCallError,
  type ConversionEvent,
  type Destination,
  type PreparedEvent,
} from '@capi-kit/core';
import { expect } from 'vitest';
import { canonicalEvent } from './canonical-event';

/** One recorded call: the URL, the headers (lowercased names) and the parsed JSON body. */
export interface RecordedCall {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records each call and answers with `answer(call, index)`. */
export function recordingFetch(answer: (call: RecordedCall, index: number) => Response) {
  const calls: RecordedCall[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const call: RecordedCall = {
      url: String(input),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: JSON.parse(String(init?.body)),
    };
    calls.push(call);
    return answer(call, calls.length - 1);
  };
  return { fetch, calls };
}

/** Runs `doPrepare` and returns the prepared event; throws when the destination skipped it. */
export async function prepareReady<TPayload>(
  destination: Destination<TPayload>,
  event: ConversionEvent = canonicalEvent(),
): Promise<PreparedEvent<TPayload>> {
  const result = await destination.doPrepare(event);
  if (result.kind !== 'ready') throw new Error(`expected ready, got skip: ${result.reason}`);
  return {
    eventId: event.id,
    eventName: event.name,
    eventTime: event.time,
    payload: result.payload,
  };
}

/**
 * Runs `doSend` on `batch`, expects it to throw a `DestinationCallError` and returns that error,
 * for the tests that read what a platform's answer became.
 */
export async function sendError<TPayload>(
  destination: Destination<TPayload>,
  batch: PreparedEvent<TPayload>[],
): Promise<DestinationCallError> {
  const error = await destination
    .doSend(batch, { signal: new AbortController().signal })
    .then(() => undefined)
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(DestinationCallError);
  return error as DestinationCallError;
}
