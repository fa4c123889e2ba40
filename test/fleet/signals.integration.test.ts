/**
 * A fleet attached to a process dies with it: on Ctrl-C (SIGINT), on SIGTERM, and when the
 * process exits without calling stop(), no fleet process survives and every port is freed.
 */
import { describe, expect, it } from "vitest";
import { isPortFree } from "../../fleet/ports.js";
import { isAlive } from "../../fleet/processes.js";
import { waitFor } from "../../fleet/wait.js";
import { holdFleet } from "../support/hold-fleet.js";

async function expectGone(pids: number[], ports: number[]): Promise<void> {
  await waitFor(
    "fleet processes to end",
    () => Promise.resolve(pids.some(isAlive) ? undefined : true),
    {
      timeoutMs: 10_000,
    },
  );
  expect(pids.filter(isAlive)).toEqual([]);
  for (const port of ports) expect(await isPortFree(port), `port ${port}`).toBe(true);
}

describe("fleet process cleanup", () => {
  it.each(["SIGINT", "SIGTERM"] as const)("stops every process on %s", async (signal) => {
    const held = await holdFleet("wait");
    expect(held.pids.length).toBe(5);
    expect(held.pids.every(isAlive)).toBe(true);
    held.child.kill(signal);
    await held.exited;
    await expectGone(held.pids, held.ports);
  });

  it("stops every process when the parent exits without stop()", async () => {
    const held = await holdFleet("exit");
    await held.exited;
    await expectGone(held.pids, held.ports);
  });
});
