#!/usr/bin/env node
// Prints the one summary line of scripts/test.sh: "N passed, N failed[, N skipped]".
//
// Usage: node scripts/summarize-tests.mjs [FAILED_STEP...]
// Counts tests from test-results/vitest.json and test-results/playwright.json (when present). Each
// failed step that no failing test explains (lint, a crashed runner, a report that was never
// written) adds one failure, so "0 failed" always means every step passed.
import { existsSync, readFileSync } from "node:fs";

const REPORTS = {
  unit: { file: "test-results/vitest.json", count: countVitest },
  e2e: { file: "test-results/playwright.json", count: countPlaywright },
  trainer: { file: "test-results/trainer.json", count: (r) => r },
};

function countVitest(report) {
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

function countPlaywright(report) {
  const stats = report.stats ?? {};
  // A flaky test failed first and passed on retry: it passed.
  return {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: stats.unexpected ?? 0,
    skipped: stats.skipped ?? 0,
  };
}

function readReport(file) {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    console.error(`summary: cannot read ${file}: ${error.message}`);
    return undefined;
  }
}

const failedSteps = new Set(process.argv.slice(2));
const total = { passed: 0, failed: 0, skipped: 0 };
const notes = [];

for (const [step, { file, count }] of Object.entries(REPORTS)) {
  const report = readReport(file);
  const counts = report ? count(report) : { passed: 0, failed: 0, skipped: 0 };
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
  if (failedSteps.has(step) && counts.failed === 0) {
    total.failed += 1;
    notes.push(report ? `${step}: failed without a failing test` : `${step}: failed or did not run, no ${file}`);
  }
  failedSteps.delete(step);
}
for (const step of failedSteps) {
  total.failed += 1;
  notes.push(`${step}: failed`);
}

for (const note of notes) console.log(`summary: ${note}`);
const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : "";
console.log(`${total.passed} passed, ${total.failed} failed${skipped}`);
