import { describe, expect, it } from "vitest";
import { phaseReason, stageFailedReason } from "./event-reasons.js";

describe("event reasons", () => {
  it("uses KubeVela's reasons for failed stages", () => {
    expect(stageFailedReason("Parsed")).toBe("FailedParse");
    expect(stageFailedReason("Policy")).toBe("FailedApply");
    expect(stageFailedReason("Rendered")).toBe("FailedRender");
  });

  it("says Deployed when the application runs, the phase otherwise", () => {
    expect(phaseReason("running")).toBe("Deployed");
    expect(phaseReason("unhealthy")).toBe("Unhealthy");
    expect(phaseReason("runningWorkflow")).toBe("RunningWorkflow");
  });
});
