/**
 * A real node whose owner dies: on SIGTERM the owner's exit handler removes everything at
 * once; after SIGKILL nothing can, so the next fleet start finds the node's record, clears it
 * and says what it cleared. Either way nothing is left: no process, namespace, interface,
 * mount, cgroup, record or changed kernel setting.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { stopPids } from "../../fleet/processes.js";
import { readSysctls } from "../../fleet/real-node/sysctls.js";
import { clearLeftovers } from "../../fleet/real-nodes-setup.js";
import { nodeTraces, noTraces } from "../support/real-node-traces.js";
import { holdFleet } from "../support/hold-fleet.js";

async function holdRealNode() {
  const held = await holdFleet("wait", true);
  const plan = held.plans[0];
  if (plan === undefined) throw new Error("hold-fleet started no real node");
  return { ...held, plan };
}

describe("a real node whose owner dies", () => {
  it("is removed by the owner's signal handler on SIGTERM", async () => {
    const before = readSysctls();
    const held = await holdRealNode();
    expect(nodeTraces(held.plan, held.nodePids).netns).toBe(true);
    held.child.kill("SIGTERM");
    await held.exited;
    expect(nodeTraces(held.plan, held.nodePids)).toEqual(noTraces);
    expect(readSysctls()).toEqual(before);
  });

  it("after SIGKILL, is cleared by the next start, which says what it cleared", async () => {
    const before = readSysctls();
    const held = await holdRealNode();
    held.child.kill("SIGKILL");
    await held.exited;
    // the control plane outlives a SIGKILLed owner too; it is not what this test is about
    const controlPlane = held.pids.filter((p) => !held.nodePids.includes(p));
    onTestFinished(() => stopPids(controlPlane));
    const left = nodeTraces(held.plan, held.nodePids);
    expect(left.record).toBe(true);
    expect(left.netns).toBe(true);
    expect(left.pids.length).toBeGreaterThan(0);
    const said: string[] = [];
    const reports = clearLeftovers((line) => said.push(line));
    expect(reports.map((r) => r.node)).toContain("solo-real-0");
    expect(said.join("\n")).toMatch(/cleared a killed run's real node solo-real-0: \d+ process/);
    expect(nodeTraces(held.plan, held.nodePids)).toEqual(noTraces);
    expect(readSysctls()).toEqual(before);
  });
});
