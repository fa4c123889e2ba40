/**
 * What a real node leaves on the machine, read from the kernel's own tables: its network
 * namespace, the host end of its veth pair, mounts under its directories, its cgroups, live
 * processes, and its slot record. Teardown tests assert that all of it is gone.
 */
import { existsSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { isRunning, nodeCgroups, mountsUnder } from "../../fleet/real-node/cleanup.js";
import type { RealNodePlan } from "../../fleet/real-node/plan.js";
import { readRecords } from "../../fleet/real-node/records.js";

export interface NodeTraces {
  readonly netns: boolean;
  readonly hostInterface: boolean;
  readonly mounts: readonly string[];
  readonly cgroups: readonly string[];
  readonly pids: readonly number[];
  readonly record: boolean;
}

export function nodeTraces(plan: RealNodePlan, pids: readonly number[]): NodeTraces {
  const links = execFileSync("ip", ["-o", "link", "show"], { encoding: "utf8" });
  return {
    netns: existsSync(`/run/netns/${plan.netns}`),
    hostInterface: links.split("\n").some((l) => l.includes(` ${plan.hostInterface}@`)),
    mounts: mountsUnder(readFileSync("/proc/self/mountinfo", "utf8"), [plan.dir, plan.runDir]),
    cgroups: nodeCgroups(plan.cgroupRoot),
    pids: pids.filter(isRunning),
    record: readRecords().some((r) => r.plan.slot === plan.slot && r.plan.dir === plan.dir),
  };
}

export const noTraces: NodeTraces = {
  netns: false,
  hostInterface: false,
  mounts: [],
  cgroups: [],
  pids: [],
  record: false,
};
