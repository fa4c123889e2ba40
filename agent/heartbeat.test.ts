import { describe, expect, it } from "vitest";
import { renewalPatch } from "./heartbeat.js";

describe("renewalPatch", () => {
  it("renews holder, duration (whole seconds) and renewTime as a MicroTime", () => {
    expect(renewalPatch("edge-1", Date.UTC(2026, 0, 2, 3, 4, 5, 678), 10_000)).toEqual({
      spec: {
        holderIdentity: "flotilla-agent/edge-1",
        leaseDurationSeconds: 10,
        renewTime: "2026-01-02T03:04:05.678000Z",
      },
    });
    expect(renewalPatch("x", 0, 1_500)).toMatchObject({ spec: { leaseDurationSeconds: 2 } });
  });
});
