// Sums the vitest JSON reports that `.ci/run` collects into one plain `N passed, N failed` line,
// so a run that executed no test is visible. Exits non-zero if any test failed or none ran.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of (await readdir(dir)).filter((name) => name.endsWith('.json')).sort()) {
  const report = JSON.parse(await readFile(join(dir, file), 'utf8'));
  const filesFailed =
    report.testResults?.filter((result) => result.status === 'failed').length ?? 0;
  console.log(
    `${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + (report.numTodoTests ?? 0)} skipped` +
      (filesFailed ? ` (${filesFailed} file(s) failed)` : ''),
  );
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numFailedTests === 0 ? filesFailed : 0);
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (process.env.CI && skipped > 0) {
  // A suite that skips because a service is missing must fail in CI, not pass quietly.
  console.log(`${skipped} test(s) skipped in CI: every test must run here.`);
  process.exit(1);
}
process.exit(failed > 0 || passed === 0 ? 1 : 0);
