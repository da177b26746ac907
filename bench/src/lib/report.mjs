/**
 * Result rows, the "not yet available" rule, and the printed table. Every suite reports rows of
 * one shape (`bench/results/latest.json`): ours, the baseline measured in the same run, their
 * ratio, the goal from the issue and whether it is met. A suite whose capi-kit code has not
 * landed yet says so in a row instead of failing the run.
 */

/**
 * @typedef {object} Row
 * @property {string} suite
 * @property {string} metric
 * @property {number | null} ours
 * @property {number | null} baseline
 * @property {string | null} baselineName
 * @property {number | null} ratio ours ÷ baseline
 * @property {string | null} goal
 * @property {boolean | null} pass null when there is no goal or nothing was measured
 * @property {string} unit
 * @property {string} [note]
 */

/** Thrown when the capi-kit code a measure needs has not landed (missing export or stub). */
export class NotYetAvailable extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'NotYetAvailable';
  }
}

/**
 * Imports a built workspace entry point and checks that it exports the named values; a stub entry
 * (the skeleton exports nothing) or a missing build means "not yet available", not a crash.
 * @param {string} specifier
 * @param {string[]} names
 * @returns {Promise<Record<string, any>>}
 */
export async function importLanded(specifier, names) {
  /** @type {Record<string, any>} */
  let module;
  try {
    module = await import(specifier);
  } catch (error) {
    const code = /** @type {{ code?: string }} */ (error).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      throw new NotYetAvailable(`${specifier} is not built`);
    }
    throw error;
  }
  const missing = names.filter((name) => module[name] === undefined);
  if (missing.length > 0) {
    throw new NotYetAvailable(`${specifier} does not export ${missing.join(', ')} yet`);
  }
  return module;
}

/**
 * Builds a row; the ratio is ours ÷ baseline when both were measured.
 * @param {Omit<Row, 'ratio' | 'pass' | 'baseline' | 'baselineName' | 'goal'> & { baseline?: number | null, baselineName?: string | null, goal?: string | null, pass?: boolean | null }} fields
 * @returns {Row}
 */
export function makeRow(fields) {
  const baseline = fields.baseline ?? null;
  const ours = fields.ours;
  const ratio =
    ours !== null && baseline !== null && baseline !== 0 && Number.isFinite(ours / baseline)
      ? Number((ours / baseline).toPrecision(3))
      : null;
  return {
    suite: fields.suite,
    metric: fields.metric,
    ours,
    baseline,
    baselineName: fields.baselineName ?? null,
    ratio,
    goal: fields.goal ?? null,
    pass: fields.pass ?? null,
    unit: fields.unit,
    ...(fields.note ? { note: fields.note } : {}),
  };
}

/**
 * A row saying that a measure could not run because our code has not landed.
 * @param {string} suite
 * @param {string} metric
 * @param {string} reason
 * @param {{ goal?: string | null, baselineName?: string | null, baseline?: number | null, unit?: string }} [extra]
 * @returns {Row}
 */
export function unavailableRow(suite, metric, reason, extra = {}) {
  return makeRow({
    suite,
    metric,
    ours: null,
    baseline: extra.baseline ?? null,
    baselineName: extra.baselineName ?? null,
    goal: extra.goal ?? null,
    pass: null,
    unit: extra.unit ?? '',
    note: `not yet available: ${reason}`,
  });
}

/**
 * @param {number | null} value
 * @returns {string}
 */
function cell(value) {
  if (value === null) return '—';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return String(value);
}

/**
 * The rows as one Markdown table (printed to the terminal and written to BENCHMARKS.md).
 * @param {Row[]} rows
 * @returns {string}
 */
export function markdownTable(rows) {
  const header = ['suite', 'metric', 'ours', 'baseline', 'ours ÷ baseline', 'goal', 'pass'];
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((name, index) => (index >= 2 && index <= 4 ? '---:' : '---')).join(' | ')} |`,
  ];
  for (const row of rows) {
    const unit = row.unit ? ` ${row.unit}` : '';
    const ours = row.note && row.ours === null ? row.note : `${cell(row.ours)}${unit}`;
    // (a failed row has pass === false and its reason in the note, shown in the ours column)
    const baseline =
      row.baseline === null
        ? row.baselineName
          ? `${row.baselineName}: —`
          : '—'
        : `${row.baselineName ?? ''}: ${cell(row.baseline)}${unit}`;
    const ratio = row.ratio === null ? '—' : `${row.ratio}×`;
    const pass = row.pass === null ? '—' : row.pass ? 'yes' : '**no**';
    const metric = row.note && row.ours !== null ? `${row.metric} (${row.note})` : row.metric;
    lines.push(
      `| ${[row.suite, metric, ours, baseline, ratio, row.goal ?? '—', pass].map((text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ')).join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/**
 * A row for a measure whose capi-kit code is there but failed (threw, refused a valid event…).
 * It is a result, not a crash of the benchmark: the table shows it as a failed goal.
 * @param {string} suite
 * @param {string} metric
 * @param {unknown} error
 * @param {{ goal?: string | null, baselineName?: string | null, baseline?: number | null, unit?: string }} [extra]
 * @returns {Row}
 */
export function failedRow(suite, metric, error, extra = {}) {
  const message = error instanceof Error ? error.message : String(error);
  return makeRow({
    suite,
    metric,
    ours: null,
    baseline: extra.baseline ?? null,
    baselineName: extra.baselineName ?? null,
    goal: extra.goal ?? null,
    pass: false,
    unit: extra.unit ?? '',
    note: `failed: ${message.split('\n')[0].slice(0, 300)}`,
  });
}
