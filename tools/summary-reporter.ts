/**
 * A Vitest reporter that ends the run with one plain line, `tests: N passed, N failed,
 * N skipped`, which CI reads to know how many tests ran (Vitest's own summary is styled).
 * Tests that did not run because a file failed to load count as failed.
 */
import type { Reporter, TestModule } from "vitest/node";

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Counts test results over modules (pure over Vitest's result objects). */
export function countResults(modules: ReadonlyArray<TestModule>): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const module of modules) {
    if (module.state() === "failed" && [...module.children.allTests()].length === 0)
      counts.failed += 1;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === "passed") counts.passed += 1;
      else if (state === "failed") counts.failed += 1;
      else counts.skipped += 1;
    }
  }
  return counts;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    const counts = countResults(modules);
    const failed = counts.failed + errors.length;
    process.stdout.write(
      `\ntests: ${counts.passed} passed, ${failed} failed, ${counts.skipped} skipped\n`,
    );
  }
}
