import { describe, expect, it } from "vitest";
import { backoffDelay, createKeyedBackoff } from "./backoff.js";
import { FakeClock, flushPromises } from "../testing/fake-clock.js";
import { createWorkQueue } from "./queue.js";

/** Keys `get()` hands out right now, without waiting (each one stays processing). */
async function takeReady(queue: ReturnType<typeof createWorkQueue>): Promise<string[]> {
  const taken: string[] = [];
  for (let n = queue.len(); n > 0; n--) taken.push((await queue.get()) as string);
  return taken;
}

describe("backoff", () => {
  it("doubles from the base per failure and stops at the cap", () => {
    const options = { baseMs: 5, maxMs: 300_000 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, options))).toEqual([5, 10, 20, 40]);
    expect(backoffDelay(16, options)).toBe(163_840);
    expect(backoffDelay(17, options)).toBe(300_000);
    expect(backoffDelay(5000, options)).toBe(300_000);
    expect(backoffDelay(0, options)).toBe(0);
  });

  it("counts per key and forgets one key without touching another", () => {
    const backoff = createKeyedBackoff({ baseMs: 1, maxMs: 100 });
    expect([backoff.next("a"), backoff.next("a"), backoff.next("b")]).toEqual([1, 2, 1]);
    backoff.forget("a");
    expect(backoff.failures("a")).toBe(0);
    expect(backoff.failures("b")).toBe(1);
    expect(backoff.next("a")).toBe(1);
  });

  it("rejects a base that is not positive or above the cap", () => {
    expect(() => createKeyedBackoff({ baseMs: 0, maxMs: 10 })).toThrow(RangeError);
    expect(() => createKeyedBackoff({ baseMs: 20, maxMs: 10 })).toThrow(RangeError);
  });
});

describe("work queue", () => {
  it("coalesces a key added while it waits and keeps first-in-first-out order", async () => {
    const queue = createWorkQueue({ clock: new FakeClock() });
    for (const key of ["a", "b", "a", "c", "b"]) queue.add(key);
    expect(queue.len()).toBe(3);
    expect(await takeReady(queue)).toEqual(["a", "b", "c"]);
  });

  it("never hands out a processing key; re-added meanwhile, it comes back once after done", async () => {
    const queue = createWorkQueue({ clock: new FakeClock() });
    queue.add("a");
    expect(await queue.get()).toBe("a");
    queue.add("a");
    queue.add("a");
    expect(queue.len()).toBe(0);
    let second: string | undefined;
    void queue.get().then((key) => (second = key));
    await flushPromises();
    expect(second).toBeUndefined();
    queue.done("a");
    await flushPromises();
    expect(second).toBe("a");
    queue.done("a");
    expect(queue.len()).toBe(0);
  });

  it("does not re-queue a key that was not added while processing", async () => {
    const queue = createWorkQueue({ clock: new FakeClock() });
    queue.add("a");
    queue.done((await queue.get()) as string);
    expect(queue.len()).toBe(0);
  });

  it("hands a key to a getter that was already waiting", async () => {
    const queue = createWorkQueue({ clock: new FakeClock() });
    const next = queue.get();
    queue.add("late");
    expect(await next).toBe("late");
  });

  it("adds after a delay; of two delays for a key the earlier wins", async () => {
    const clock = new FakeClock();
    const queue = createWorkQueue({ clock });
    queue.addAfter("a", 1000);
    queue.addAfter("a", 300);
    queue.addAfter("a", 2000);
    await clock.advance(299);
    expect(queue.len()).toBe(0);
    await clock.advance(1);
    expect(queue.len()).toBe(1);
    expect(clock.pending()).toBe(0);
    queue.addAfter("b", 0);
    expect(await takeReady(queue)).toEqual(["a", "b"]);
  });

  it("rate-limits with the key's backoff until forgotten", async () => {
    const clock = new FakeClock();
    const queue = createWorkQueue({ clock, backoff: { baseMs: 10, maxMs: 25 } });
    const delays: Array<number | undefined> = [];
    for (let i = 0; i < 4; i++) {
      queue.addRateLimited("a");
      delays.push(clock.nextDelay());
      await clock.advance(100);
      queue.done((await queue.get()) as string);
    }
    expect(delays).toEqual([10, 20, 25, 25]);
    expect(queue.numRequeues("a")).toBe(4);
    queue.forget("a");
    expect(queue.numRequeues("a")).toBe(0);
    queue.addRateLimited("a");
    expect(clock.nextDelay()).toBe(10);
  });

  it("reports its depth when it changes", async () => {
    const depths: number[] = [];
    const queue = createWorkQueue({ clock: new FakeClock(), onDepthChange: (d) => depths.push(d) });
    queue.add("a");
    queue.add("b");
    queue.add("a");
    await queue.get();
    expect(depths).toEqual([1, 2, 1]);
  });

  it("on shutdown drops waiting and delayed keys, releases getters, waits for done", async () => {
    const clock = new FakeClock();
    const queue = createWorkQueue({ clock });
    queue.add("busy");
    queue.add("waiting");
    queue.addAfter("later", 1000);
    expect(await queue.get()).toBe("busy");
    expect(await queue.get()).toBe("waiting");
    const idle = queue.get();

    let drained = false;
    const shutdown = queue.shutDown().then(() => (drained = true));
    expect(await idle).toBeUndefined();
    expect(clock.pending()).toBe(0);
    queue.add("new");
    expect(queue.len()).toBe(0);
    expect(await queue.get()).toBeUndefined();

    queue.done("busy");
    await flushPromises();
    expect(drained).toBe(false);
    queue.done("waiting");
    await shutdown;
    expect(drained).toBe(true);
    expect(queue.isShuttingDown()).toBe(true);
    await queue.shutDown();
  });
});
