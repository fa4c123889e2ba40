import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { Clock } from "./clock.js";
import { silentLogger, type Logger } from "./logger.js";
import { shutDownOnSignal, stopWithin, terminationSignal } from "./shutdown.js";

/** A clock whose timers fire only when `advance` passes them. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let next = 0;
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.set(++next, { at: now + ms, fn });
      return next;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    advance(ms) {
      now += ms;
      for (const [id, timer] of [...timers])
        if (timer.at <= now) {
          timers.delete(id);
          timer.fn();
        }
    },
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const entry = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
  return { lines, info: entry("info"), warn: entry("warn"), error: entry("error") };
}

describe("terminationSignal", () => {
  it("resolves with the first SIGTERM or SIGINT and reports every later one", async () => {
    const signals = new EventEmitter();
    const again: string[] = [];
    const first = terminationSignal(signals, (signal) => again.push(signal));
    signals.emit("SIGINT");
    expect(await first).toBe("SIGINT");
    signals.emit("SIGTERM");
    signals.emit("SIGINT");
    signals.emit("SIGINT");
    expect(again).toEqual(["SIGTERM", "SIGINT", "SIGINT"]);
  });
});

describe("stopWithin", () => {
  it("says whether stop finished, failed or outlasted the bound", async () => {
    const clock = manualClock();
    expect(await stopWithin(() => Promise.resolve(), 1000, clock)).toEqual({ kind: "stopped" });
    const error = new Error("boom");
    expect(await stopWithin(() => Promise.reject(error), 1000, clock)).toEqual({
      kind: "failed",
      error,
    });
    const hanging = stopWithin(() => new Promise<void>(() => {}), 1000, clock);
    clock.advance(999);
    await flush();
    clock.advance(1);
    expect(await hanging).toEqual({ kind: "timed out" });
  });
});

describe("shutDownOnSignal", () => {
  it("stops on SIGTERM and answers 0", async () => {
    const signals = new EventEmitter();
    const log = recordingLogger();
    let stopped = false;
    const code = shutDownOnSignal({
      signals,
      clock: manualClock(),
      log,
      timeoutMs: 10_000,
      exit: () => expect.unreachable(),
      stop: () => {
        stopped = true;
        return Promise.resolve();
      },
    });
    await flush();
    expect(stopped).toBe(false);
    signals.emit("SIGTERM");
    expect(await code).toBe(0);
    expect(stopped).toBe(true);
    expect(log.lines).toEqual(["info: shutting down", "info: stopped"]);
  });

  it("answers 1 with a log line when stop outlasts the bound, and exits on a second signal", async () => {
    const signals = new EventEmitter();
    const clock = manualClock();
    const log = recordingLogger();
    const exits: number[] = [];
    const code = shutDownOnSignal({
      signals,
      clock,
      log,
      timeoutMs: 10_000,
      exit: (c) => exits.push(c),
      stop: () => new Promise<void>(() => {}),
    });
    signals.emit("SIGTERM");
    await flush();
    signals.emit("SIGINT");
    expect(exits).toEqual([1]);
    clock.advance(10_000);
    expect(await code).toBe(1);
    expect(log.lines).toContain("error: shutdown did not finish within 10000 ms; exiting anyway");
  });

  it("answers 1 when stop fails", async () => {
    const signals = new EventEmitter();
    const code = shutDownOnSignal({
      signals,
      clock: manualClock(),
      log: silentLogger,
      timeoutMs: 10_000,
      exit: () => {},
      stop: () => Promise.reject(new Error("lease write refused")),
    });
    signals.emit("SIGINT");
    expect(await code).toBe(1);
  });
});
