import { describe, expect, it } from "vitest";
import { mergeConditions } from "./conditions.js";

describe("mergeConditions", () => {
  const t0 = "2026-11-24T10:00:00Z";
  const t1 = "2026-11-24T10:05:00Z";

  it("keeps the transition time while the status holds and moves it on a flip", () => {
    const first = mergeConditions([], [{ type: "Healthy", ok: false, reason: "Unhealthy" }], t0);
    expect(first).toEqual([
      { type: "Healthy", status: "False", reason: "Unhealthy", lastTransitionTime: t0 },
    ]);
    const same = mergeConditions(first, [{ type: "Healthy", ok: false, reason: "Still" }], t1);
    expect(same[0]).toMatchObject({ reason: "Still", lastTransitionTime: t0 });
    const flipped = mergeConditions(same, [{ type: "Healthy", ok: true, reason: "Healthy" }], t1);
    expect(flipped[0]).toMatchObject({ status: "True", lastTransitionTime: t1 });
  });

  it("leaves out stages that were not reached", () => {
    const before = mergeConditions(
      [],
      [
        { type: "Parsed", ok: true, reason: "Parsed" },
        { type: "Rendered", ok: true, reason: "Rendered" },
      ],
      t0,
    );
    const after = mergeConditions(before, [{ type: "Parsed", ok: false, reason: "Invalid" }], t1);
    expect(after.map((c) => c.type)).toEqual(["Parsed"]);
  });
});
