import { describe, expect, it } from "vitest";
import { dueAt, hold, holdEach, type Held } from "./hysteresis.js";

const T = 10_000;

describe("hold", () => {
  it("publishes the first observation at once", () => {
    expect(hold(undefined, false, 0, T)).toEqual({ value: false });
  });

  it("publishes a change only after it held for the threshold", () => {
    let h: Held<boolean> = hold(undefined, true, 0, T);
    h = hold(h, false, 1_000, T);
    expect(h.value).toBe(true);
    expect(dueAt(h, T)).toBe(11_000);
    h = hold(h, false, 10_999, T);
    expect(h.value).toBe(true);
    h = hold(h, false, 11_000, T);
    expect(h).toEqual({ value: false });
  });

  it("forgets a flap shorter than the threshold", () => {
    let h: Held<boolean> = hold(undefined, true, 0, T);
    h = hold(h, false, 1_000, T);
    h = hold(h, true, 5_000, T);
    expect(h).toEqual({ value: true });
    // the timer starts again with the next flip
    h = hold(h, false, 6_000, T);
    h = hold(h, false, 15_000, T);
    expect(h.value).toBe(true);
    expect(hold(h, false, 16_000, T).value).toBe(false);
  });

  it("restarts the timer when yet another value is seen", () => {
    let h: Held<number> = hold(undefined, 1, 0, T);
    h = hold(h, 2, 0, T);
    h = hold(h, 3, 5_000, T);
    expect(h.pending).toEqual({ value: 3, since: 5_000 });
    expect(hold(h, 3, 12_000, T).value).toBe(1);
    expect(hold(h, 3, 15_000, T).value).toBe(3);
  });

  it("with a zero threshold follows the observation", () => {
    expect(hold({ value: true }, false, 5, 0)).toEqual({ value: false });
  });
});

describe("holdEach", () => {
  it("holds each key, drops vanished keys, adds new ones at once, reports the next due time", () => {
    const first = holdEach(
      new Map(),
      [
        ["a", true],
        ["b", true],
      ],
      0,
      T,
    );
    const second = holdEach(
      first.states,
      [
        ["a", false],
        ["c", false],
      ],
      2_000,
      T,
    );
    expect([...second.states.keys()]).toEqual(["a", "c"]);
    expect(second.states.get("a")?.value).toBe(true);
    expect(second.states.get("c")?.value).toBe(false);
    expect(second.nextDue).toBe(12_000);
    const third = holdEach(second.states, [["a", false]], 12_000, T);
    expect(third.states.get("a")?.value).toBe(false);
    expect(third.nextDue).toBeUndefined();
  });
});
