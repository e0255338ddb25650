#!/usr/bin/env node
// Sums vitest JSON reports (written by the test:* scripts to test-results/vitest/<project>.json)
// over the CI passes, and prints the failures and, as its LAST line, exactly:
//     N passed, N failed
//
//   node .ci/summarise.mjs [--extra-failures=N] <label>=<report dir>:<exit code> ...
//
// A pass that exited non-zero without any failing test in its reports (typecheck or lint
// failed, vitest crashed, a report is missing) counts as one failure, so the line never
// says "0 failed" about a red run. Skipped and todo tests count as neither.
import fs from 'node:fs';
import path from 'node:path';

let passed = 0;
let failed = 0;
const out = [];
const failures = [];

for (const arg of process.argv.slice(2)) {
  const extra = /^--extra-failures=(\d+)$/.exec(arg);
  if (extra) {
    failed += Number(extra[1]);
    continue;
  }
  const m = /^([^=]+)=(.*):(\d+)$/.exec(arg);
  if (!m) {
    console.error(`summarise: bad argument ${arg}`);
    process.exit(2);
  }
  const [, label, dir, rcText] = m;
  const rc = Number(rcText);
  let passPassed = 0;
  let passFailed = 0;
  const reports = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  for (const file of reports) {
    const project = path.basename(file, '.json');
    let r;
    try {
      r = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    } catch (e) {
      out.push(`  ${label}/${project}: unreadable report (${e.message}): counted as 1 failure`);
      passFailed += 1;
      continue;
    }
    let fileErrors = 0;
    let start = Infinity;
    let end = 0;
    for (const t of r.testResults ?? []) {
      if (typeof t.startTime === 'number') start = Math.min(start, t.startTime);
      if (typeof t.endTime === 'number') end = Math.max(end, t.endTime);
      const failedTests = (t.assertionResults ?? []).filter((a) => a.status === 'failed');
      for (const a of failedTests) failures.push(`${label}/${project}: ${path.relative(process.cwd(), t.name)} > ${a.fullName ?? a.title}`);
      // A file that failed without a failing test: it did not load, or a hook failed.
      if (t.status === 'failed' && failedTests.length === 0) {
        fileErrors += 1;
        failures.push(`${label}/${project}: ${path.relative(process.cwd(), t.name)}: ${(t.message || 'file failed').split('\n')[0].slice(0, 200)}`);
      }
    }
    const p = r.numPassedTests ?? 0;
    const f = (r.numFailedTests ?? 0) + fileErrors;
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    const seconds = end > 0 && start < Infinity ? ((end - start) / 1000).toFixed(1) : '0.0';
    out.push(`  ${label}/${project}: ${p} passed, ${f} failed${skipped ? `, ${skipped} skipped` : ''} (${(r.testResults ?? []).length} files, ~${seconds} s)`);
    passPassed += p;
    passFailed += f;
  }
  if (rc !== 0 && passFailed === 0) {
    out.push(`  ${label}: exited ${rc} with no failing test in its reports (typecheck, lint, a crash or a missing report): counted as 1 failure`);
    passFailed = 1;
  }
  if (reports.length === 0 && rc === 0) out.push(`  ${label}: no vitest reports`);
  passed += passPassed;
  failed += passFailed;
}

console.log('Test results:');
for (const l of out) console.log(l);
if (failures.length > 0) {
  console.log(`Failed tests (${failures.length}):`);
  for (const l of failures.slice(0, 50)) console.log(`  ✗ ${l}`);
  if (failures.length > 50) console.log(`  … and ${failures.length - 50} more`);
}
console.log(`${passed} passed, ${failed} failed`);
