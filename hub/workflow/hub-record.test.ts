import { describe, expect, it } from "vitest";
import { continuesRun, HUB_KEY, hubRecordOf } from "./hub-record.js";

const stored = (run?: unknown) => ({
  [HUB_KEY]: { ...(run === undefined ? {} : { run }), applied: [], memo: { "s1/notify": {} } },
});

describe("continuesRun", () => {
  const current = { revision: "app-v2", uid: "u1" };

  it("continues this revision's context even when the cached status has no workflow yet", () => {
    // a reconcile that reads the application before its last status write is cached (or after
    // that write met a conflict): the context still holds the side effects performed
    expect(continuesRun(stored({ revision: "app-v2", uid: "u1" }), current, undefined)).toBe(true);
    expect(continuesRun(stored({ revision: "app-v2", uid: "u1" }), current, "app-v1")).toBe(true);
  });

  it("starts afresh for another revision, or another application of the same name", () => {
    expect(continuesRun(stored({ revision: "app-v1", uid: "u1" }), current, "app-v2")).toBe(false);
    expect(continuesRun(stored({ revision: "app-v2", uid: "u0" }), current, "app-v2")).toBe(false);
    expect(continuesRun({}, current, undefined)).toBe(false);
  });

  it("reads a context written before the run was recorded by the status, as before", () => {
    expect(continuesRun(stored(), current, "app-v2")).toBe(true);
    expect(continuesRun(stored(), current, "app-v1")).toBe(false);
    expect(continuesRun(stored(), current, undefined)).toBe(false);
  });
});

describe("hubRecordOf", () => {
  it("keeps the run's owner and ignores a malformed one", () => {
    expect(hubRecordOf(stored({ revision: "app-v2", uid: "u1" })).run).toEqual({
      revision: "app-v2",
      uid: "u1",
    });
    expect(hubRecordOf(stored({ revision: 2 })).run).toBeUndefined();
  });
});
