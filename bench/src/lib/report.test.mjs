import { describe, expect, it } from 'vitest';
import { median } from './measure.mjs';
import { failedRow, makeRow, markdownTable, unavailableRow } from './report.mjs';

describe('median', () => {
  it('takes the middle value of an odd count', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });

  it('is NaN for no samples', () => {
    expect(median([])).toBeNaN();
  });
});

describe('makeRow', () => {
  it('computes the ratio as ours divided by the baseline', () => {
    const row = makeRow({
      suite: 's',
      metric: 'm',
      ours: 150,
      baseline: 60,
      baselineName: 'peer',
      unit: 'events/s',
    });
    expect(row).toEqual({
      suite: 's',
      metric: 'm',
      ours: 150,
      baseline: 60,
      baselineName: 'peer',
      ratio: 2.5,
      goal: null,
      pass: null,
      unit: 'events/s',
    });
  });

  it('leaves the ratio empty when the baseline is missing or zero', () => {
    expect(makeRow({ suite: 's', metric: 'm', ours: 5, unit: 'ms' }).ratio).toBeNull();
    expect(makeRow({ suite: 's', metric: 'm', ours: 5, baseline: 0, unit: 'ms' }).ratio).toBeNull();
  });
});

describe('unavailableRow', () => {
  it('records the reason and keeps the baseline measured in the same run', () => {
    const row = unavailableRow('s', 'm', 'relay not built', {
      baseline: 42,
      baselineName: 'peer',
      unit: 'B',
    });
    expect(row).toMatchObject({
      ours: null,
      baseline: 42,
      pass: null,
      note: 'not yet available: relay not built',
    });
  });
});

describe('failedRow', () => {
  it('marks the goal as missed with the first line of the error', () => {
    const row = failedRow('s', 'm', new Error('refused\nstack line'), { goal: '≥ 1×' });
    expect(row).toMatchObject({ ours: null, pass: false, goal: '≥ 1×', note: 'failed: refused' });
  });
});

describe('markdownTable', () => {
  it('escapes pipes and newlines so that a note cannot break the table', () => {
    const table = markdownTable([
      failedRow('s', 'a | b', new Error('x')),
      makeRow({ suite: 's', metric: 'm', ours: 1, unit: '', note: 'two\nlines' }),
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain('a \\| b');
    expect(lines[3]).toContain('two lines');
  });

  it('shows the not-yet-available reason in place of our number', () => {
    const table = markdownTable([
      unavailableRow('s', 'm', 'not built', { baseline: 7, baselineName: 'peer', unit: 'B' }),
    ]);
    expect(table.split('\n')[2]).toBe(
      '| s | m | not yet available: not built | peer: 7 B | — | — | — |',
    );
  });
});
