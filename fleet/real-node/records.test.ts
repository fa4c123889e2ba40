import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { realNodePlan } from "./plan.js";
import { claimSlot, isLeftover, readRecords, removeRecord, type NodeRecord } from "./records.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const build =
  (owner?: number) =>
  (slot: number): NodeRecord => ({
    plan: realNodePlan({ slot, cluster: "c", index: slot, clusterDir: "/w/c" }),
    ...(owner === undefined ? {} : { ownerPid: owner }),
    pids: [],
    createdAt: "2026-12-07T00:00:00Z",
  });

describe("slot records", () => {
  it("claims the lowest free slot, exclusively, and frees it on removal", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "slots-"));
    dirs.push(root);
    expect(claimSlot(build(1), root).plan.slot).toBe(0);
    expect(claimSlot(build(1), root).plan.slot).toBe(1);
    removeRecord(0, root);
    expect(claimSlot(build(1), root).plan.slot).toBe(0);
    expect(
      readRecords(root)
        .map((r) => r.plan.slot)
        .sort(),
    ).toEqual([0, 1]);
  });

  it("calls a record left over when its owner is gone, or, detached, when no process lives", () => {
    const alive = (pid: number): boolean => pid === 10;
    const record = build()(0);
    expect(isLeftover({ ...record, ownerPid: 10, pids: [11] }, alive)).toBe(false);
    expect(isLeftover({ ...record, ownerPid: 12, pids: [10] }, alive)).toBe(true);
    expect(isLeftover({ ...record, pids: [11, 10] }, alive)).toBe(false);
    expect(isLeftover({ ...record, pids: [11] }, alive)).toBe(true);
  });
});
