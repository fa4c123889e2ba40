import { describe, expect, it } from "vitest";
import { requeueAfter, type RequeueInput } from "./requeue.js";

const periods = { stateKeepMs: 300_000, healthPollMs: 5_000 };
const calm: RequeueInput = { healthy: true, settled: true, ...periods };

describe("requeueAfter", () => {
  it("waits the state-keep period once everything is healthy and settled", () => {
    expect(requeueAfter(calm)).toBe(300_000);
  });

  it("polls health while a service is unhealthy", () => {
    expect(requeueAfter({ ...calm, healthy: false })).toBe(5_000);
  });

  it("polls health while a workflow is still running, even when healthy", () => {
    expect(requeueAfter({ ...calm, settled: false })).toBe(5_000);
  });

  it("takes the workflow's own wait when it is earlier", () => {
    expect(requeueAfter({ ...calm, workflowMs: 0 })).toBe(0);
    expect(requeueAfter({ ...calm, settled: false, workflowMs: 1_000 })).toBe(1_000);
    expect(requeueAfter({ ...calm, workflowMs: 600_000 })).toBe(300_000);
  });

  it("keeps the status write's conflict retry (it used to be replaced by the periodic look)", () => {
    expect(requeueAfter({ ...calm, statusMs: 200 })).toBe(200);
    expect(requeueAfter({ ...calm, healthy: false, statusMs: 200, deliveryMs: 40 })).toBe(40);
  });

  it("takes a failed cluster's retry when it is earlier", () => {
    expect(requeueAfter({ ...calm, deliveryMs: 40 })).toBe(40);
    expect(requeueAfter({ ...calm, healthy: false, deliveryMs: 5_000, workflowMs: 7_000 })).toBe(
      5_000,
    );
  });
});
