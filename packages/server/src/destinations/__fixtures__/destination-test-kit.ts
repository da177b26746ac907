/**
 * Test helpers shared by the destination unit tests: a fetch that records what a destination
 * sends, and `doPrepare` unwrapped into the `PreparedEvent` the relay would hand to `doSend`.
 */
import type { ConversionEvent, Destination, PreparedEvent } from '@capi-kit/core';
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
