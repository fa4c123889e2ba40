/**
 * Two projects: `unit` (pure and in-process tests, in parallel) and `integration` (tests that
 * start real clusters, one file at a time: the machine has two cores). Integration files are
 * named `*.integration.test.ts`; their global setup builds or finds the cluster binaries once
 * before any worker starts.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", "./tools/summary-reporter.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/*.integration.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["**/*.integration.test.ts"],
          exclude: ["**/node_modules/**"],
          globalSetup: ["./test/support/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
