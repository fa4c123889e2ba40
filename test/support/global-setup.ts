/**
 * Vitest global setup for integration tests: make sure the cluster binaries are built (a cold
 * build takes minutes and prints progress) before any test file starts a fleet.
 */
import { ensureBinaries } from "../../fleet/build/binaries.js";

export default async function setup(): Promise<void> {
  await ensureBinaries({ log: (line) => process.stderr.write(line + "\n") });
}
