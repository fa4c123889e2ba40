import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { NotFoundError, TerminalError } from "../errors.js";
import {
  createController,
  isTerminal,
  type ControllerOptions,
  type Reconciler,
} from "./controller.js";
import { FakeClock, flushPromises } from "../testing/fake-clock.js";
import type { Logger } from "./logger.js";

interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

function setup(reconcile: Reconciler, extra: Partial<ControllerOptions> = {}) {
  const clock = new FakeClock();
  const registry = new Registry();
  const controller = createController({
    name: "test",
    reconcile,
    clock,
    metrics: registry,
    backoff: { baseMs: 5, maxMs: 40 },
    ...extra,
  });
  return { clock, registry, controller };
}

async function seriesOf(registry: Registry, name: string, controller = "test") {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values.filter((v) => v.labels.controller === controller);
}

async function results(registry: Registry, controller = "test"): Promise<Record<string, number>> {
  const values = await seriesOf(registry, "flotilla_reconcile_total", controller);
  return Object.fromEntries(values.map((v) => [String(v.labels.result), v.value]));
}

/** A histogram's `_sum` or `_count` series (prom-client names them in `metricName`). */
const part = (values: ReadonlyArray<object>, suffix: string): number | undefined =>
  (values as Array<{ metricName?: string; value: number }>).find((v) =>
    v.metricName?.endsWith(suffix),
  )?.value;

async function depth(registry: Registry): Promise<number | undefined> {
  return (await seriesOf(registry, "flotilla_workqueue_depth"))[0]?.value;
}

/** Times (fake clock) at which each reconcile of any key started. */
function recorder(clock: FakeClock, outcome: (call: number) => unknown) {
  const calls: Array<{ key: string; at: number }> = [];
  const reconcile: Reconciler = async (key) => {
    calls.push({ key, at: clock.now() });
    const value = await outcome(calls.length);
    return value as { requeueAfterMs?: number };
  };
  return { calls, reconcile };
}

const gaps = (calls: ReadonlyArray<{ at: number }>): number[] =>
  calls.slice(1).map((c, i) => c.at - (calls[i] as { at: number }).at);

describe("controller", () => {
  it("reconciles a key once for several enqueues made before it ran", async () => {
    const seen: string[] = [];
    const { controller } = setup((key) => Promise.resolve(void seen.push(key)));
    for (const key of ["a", "b", "a", "a", "b"]) controller.enqueue(key);
    controller.start();
    await flushPromises();
    expect(seen).toEqual(["a", "b"]);
  });

  it("never runs one key twice at once; enqueued while running, it runs once more after", async () => {
    const gates = [gate(), gate()];
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    const { controller } = setup(
      async () => {
        const mine = gates[calls++];
        maxActive = Math.max(maxActive, ++active);
        await mine?.promise;
        active--;
      },
      { workers: 4 },
    );
    controller.enqueue("a");
    controller.start();
    await flushPromises();
    controller.enqueue("a");
    controller.enqueue("a");
    await flushPromises();
    expect(calls).toBe(1);
    gates[0]?.open();
    await flushPromises();
    expect(calls).toBe(2);
    gates[1]?.open();
    await flushPromises();
    expect(calls).toBe(2);
    expect(maxActive).toBe(1);
  });

  it("runs different keys in parallel, at most `workers` at a time", async () => {
    const gates = new Map(["a", "b", "c"].map((k) => [k, gate()]));
    const started: string[] = [];
    const { controller } = setup(
      async (key) => {
        started.push(key);
        await gates.get(key)?.promise;
      },
      { workers: 2 },
    );
    for (const key of gates.keys()) controller.enqueue(key);
    controller.start();
    await flushPromises();
    expect(started).toEqual(["a", "b"]);
    gates.get("b")?.open();
    await flushPromises();
    expect(started).toEqual(["a", "b", "c"]);
  });

  it("retries a failing key with backoff doubling up to the cap", async () => {
    const clock = new FakeClock();
    const { calls, reconcile } = recorder(clock, () => Promise.reject(new Error("member down")));
    const { controller, registry } = setup(reconcile, { clock });
    controller.enqueue("a");
    controller.start();
    await clock.advance(200);
    expect(gaps(calls).slice(0, 7)).toEqual([5, 10, 20, 40, 40, 40, 40]);
    expect((await results(registry)).error).toBe(calls.length);
  });

  it("counts a synchronous throw as a failure too", async () => {
    const { controller, registry, clock } = setup(() => {
      throw new Error("not even a promise");
    });
    controller.enqueue("a");
    controller.start();
    await clock.advance(5);
    expect((await results(registry)).error).toBe(2);
  });

  it("forgets the backoff after a success and after a requeue", async () => {
    const clock = new FakeClock();
    const script = ["fail", "fail", "ok", "fail", "fail", "fail", "requeue", "fail", "ok"];
    const { calls, reconcile } = recorder(clock, (n) => {
      const step = script[n - 1];
      if (step === "fail") return Promise.reject(new Error("conflict"));
      return step === "requeue" ? { requeueAfterMs: 50 } : {};
    });
    const { controller } = setup(reconcile, { clock });
    controller.enqueue("a");
    controller.start();
    await clock.advance(100);
    controller.enqueue("a");
    await clock.advance(1000);
    expect(calls.map((c) => c.at)).toEqual([0, 5, 15, 100, 105, 115, 135, 185, 190]);
  });

  it("requeues after `requeueAfterMs`, not before, and counts it as a requeue", async () => {
    const clock = new FakeClock();
    const { calls, reconcile } = recorder(clock, (n) => (n === 1 ? { requeueAfterMs: 1000 } : {}));
    const { controller, registry } = setup(reconcile, { clock });
    controller.enqueue("a");
    controller.start();
    await clock.advance(999);
    expect(calls).toHaveLength(1);
    await clock.advance(1);
    expect(calls).toHaveLength(2);
    await clock.advance(60_000);
    expect(calls).toHaveLength(2);
    expect(await results(registry)).toEqual({ success: 1, error: 0, requeue: 1, terminal: 0 });
  });

  it("records a terminal error and stops retrying until the key is enqueued again", async () => {
    const clock = new FakeClock();
    const logged: Array<{ message: string; fields?: Record<string, unknown> }> = [];
    const log: Logger = {
      info: () => undefined,
      warn: () => undefined,
      error: (message, fields) => logged.push({ message, fields }),
    };
    const { calls, reconcile } = recorder(clock, (n) =>
      Promise.reject(
        n === 1
          ? new TerminalError("component type missing")
          : new Error("render failed", { cause: new TerminalError("bad spec") }),
      ),
    );
    const { controller, registry } = setup(reconcile, { clock, log });
    controller.enqueue("ns/app");
    controller.start();
    await clock.advance(3_600_000);
    expect(calls).toHaveLength(1);
    controller.enqueue("ns/app");
    await clock.advance(3_600_000);
    expect(calls).toHaveLength(2);
    expect(await results(registry)).toEqual({ success: 0, error: 0, requeue: 0, terminal: 2 });
    expect(logged[0]?.fields).toMatchObject({ key: "ns/app", error: "component type missing" });
  });

  it("starts every series at 0 and measures durations and queue depth", async () => {
    const clock = new FakeClock();
    const slow = gate();
    const { controller, registry } = setup(
      async (key) => {
        if (key === "slow") await slow.promise;
      },
      { clock },
    );
    expect(await results(registry)).toEqual({ success: 0, error: 0, requeue: 0, terminal: 0 });
    expect(await depth(registry)).toBe(0);
    const durations = await seriesOf(registry, "flotilla_reconcile_duration_seconds");
    expect(part(durations, "_count")).toBe(0);

    for (const key of ["slow", "b", "c"]) controller.enqueue(key);
    expect(await depth(registry)).toBe(3);
    controller.start();
    await flushPromises();
    await clock.advance(2500);
    slow.open();
    await flushPromises();
    expect(await depth(registry)).toBe(0);
    const after = await seriesOf(registry, "flotilla_reconcile_duration_seconds");
    expect(part(after, "_sum")).toBe(2.5);
    expect(part(after, "_count")).toBe(3);
    expect((await results(registry)).success).toBe(3);
  });

  it("shares one registry between controllers, each with its own series", async () => {
    const { registry, controller } = setup(() => Promise.resolve());
    const other = createController({
      name: "other",
      reconcile: () => Promise.resolve({}),
      metrics: registry,
    });
    other.enqueue("x");
    other.start();
    await flushPromises();
    expect((await results(registry, "other")).success).toBe(1);
    expect((await results(registry, "test")).success).toBe(0);
    await Promise.all([other.stop(), controller.stop()]);
  });

  it("on stop aborts the signal, waits for running reconciles and takes no more keys", async () => {
    const running = gate();
    let signal: AbortSignal | undefined;
    const seen: string[] = [];
    const { controller, clock } = setup(async (key, context) => {
      seen.push(key);
      signal = context.signal;
      if (key === "a") await running.promise;
    });
    controller.enqueue("a");
    controller.enqueueAfter("b", 1000);
    controller.start();
    await flushPromises();
    let stopped = false;
    const stopping = controller.stop().then(() => (stopped = true));
    await flushPromises();
    expect(signal?.aborted).toBe(true);
    expect(stopped).toBe(false);
    expect(clock.pending()).toBe(0);
    running.open();
    await stopping;
    controller.enqueue("c");
    controller.start();
    await clock.advance(5000);
    expect(seen).toEqual(["a"]);
  });

  it("rejects a worker count that is not a positive integer", () => {
    expect(() => setup(() => Promise.resolve(), { workers: 0 })).toThrow(RangeError);
  });
});

describe("isTerminal", () => {
  it("finds a TerminalError itself or in the cause chain, nothing else", () => {
    expect(isTerminal(new TerminalError("x"))).toBe(true);
    expect(
      isTerminal(new Error("a", { cause: new Error("b", { cause: new TerminalError("c") }) })),
    ).toBe(true);
    expect(isTerminal(new Error("plain"))).toBe(false);
    expect(isTerminal("a string")).toBe(false);
  });

  it("takes the cause's code when the cause is a Flotilla error", () => {
    expect(new TerminalError("x", { cause: new NotFoundError("y") }).code).toBe("NotFound");
    expect(new TerminalError("x").code).toBe("InvalidInput");
  });
});
