/**
 * Suite 2, main-thread cost of `track()`: µs per call in happy-dom with the pixel globals stubbed
 * (`fbq`, `sendBeacon`, `fetch`), counting the batched beacon work each call schedules (a round
 * is N calls then `flush()`), next to walkerOS's `elb` push with a destination making the same
 * stubbed `fbq` call (a round is N pushes then awaiting them). Both run in one child process,
 * interleaved round by round; the medians are reported. Time is the child's CPU time (user +
 * system), so a busy shared machine does not inflate either side.
 */
import { median, round } from '../lib/measure.mjs';
import { startChild } from '../lib/processes.mjs';
import { failedRow, makeRow, unavailableRow } from '../lib/report.mjs';

const SUITE = '2 track() cost';

/**
 * @param {{ quick: boolean, log: (line: string) => void }} context
 * @returns {Promise<import('../lib/report.mjs').Row[]>}
 */
export async function run(context) {
  const calls = context.quick ? 1000 : 5000;
  const rounds = context.quick ? 3 : 7;
  const { ready } = await startChild('children/track-cost-child.mjs', {
    args: [String(calls), String(rounds)],
    timeoutMs: 300_000,
  });
  for (const [name, values] of Object.entries(ready.samples)) {
    context.log(
      `${name}: ${/** @type {number[]} */ (values).map((value) => value.toFixed(2)).join(', ')} µs/call; pixel calls ${ready.pixelCalls[name]}/${ready.expectedPixelCalls}`,
    );
  }
  context.log(`bytes handed to sendBeacon/fetch by ours: ${ready.beaconBytes}`);
  const walker = median(ready.samples.walkerOS);
  const baselineName = 'walkerOS elb push';
  if (ready.oursFailed) {
    return [
      failedRow(SUITE, 'µs per track() call (happy-dom)', ready.oursFailed, {
        baseline: round(walker),
        baselineName,
        goal: '≤ 100 µs',
        unit: 'µs',
      }),
    ];
  }
  if (ready.oursUnavailable) {
    return [
      unavailableRow(SUITE, 'µs per track() call (happy-dom)', ready.oursUnavailable, {
        baseline: round(walker),
        baselineName,
        goal: '≤ 100 µs',
        unit: 'µs',
      }),
    ];
  }
  const ours = median(ready.samples.ours);
  // A tracker that skipped its pixel call would look cheap; say so instead of reporting it.
  const firedAll = ready.pixelCalls.ours === ready.expectedPixelCalls;
  return [
    makeRow({
      suite: SUITE,
      metric: 'µs per track() call (happy-dom)',
      ours: round(ours),
      baseline: round(walker),
      baselineName,
      goal: '≤ 100 µs',
      pass: firedAll && ours <= 100,
      unit: 'µs',
      ...(firedAll
        ? {}
        : {
            note: `only ${ready.pixelCalls.ours} of ${ready.expectedPixelCalls} pixel calls fired`,
          }),
    }),
  ];
}
