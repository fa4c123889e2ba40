import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import {
  boundedCache,
  correlate,
  createEventRecorder,
  eventBody,
  eventKey,
  eventName,
  maxMessageLength,
  type EventInput,
} from "./events.js";
import { FakeClock } from "../testing/fake-clock.js";

const hub = { component: "flotilla-hub", host: "hub-0" };
const app = {
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  name: "shop",
  namespace: "team-a",
  uid: "5d1c",
};
const rendered: EventInput = {
  involvedObject: app,
  type: "Normal",
  reason: "Rendered",
  message: "rendered 3 objects for 2 clusters",
};
const tenMinutes = 10 * 60_000;

describe("eventKey", () => {
  it("is the same for identical events and differs in any field that matters", () => {
    expect(eventKey({ ...rendered, involvedObject: { ...app } }, hub)).toBe(
      eventKey(rendered, hub),
    );
    const variants: EventInput[] = [
      { ...rendered, message: "rendered 4 objects for 2 clusters" },
      { ...rendered, reason: "Dispatched" },
      { ...rendered, type: "Warning" },
      { ...rendered, involvedObject: { ...app, name: "shop-2" } },
      { ...rendered, involvedObject: { ...app, namespace: "team-b" } },
      { ...rendered, involvedObject: { ...app, uid: "other" } },
      { ...rendered, involvedObject: { ...app, kind: "ResourceTracker" } },
    ];
    const keys = new Set([rendered, ...variants].map((e) => eventKey(e, hub)));
    expect(keys.size).toBe(variants.length + 1);
    expect(eventKey(rendered, { component: "flotilla-agent" })).not.toBe(eventKey(rendered, hub));
  });

  it("cannot be confused by separators inside fields", () => {
    const a = { ...rendered, reason: "A", message: "B C" };
    const b = { ...rendered, reason: "A B", message: "C" };
    expect(eventKey(a, hub)).not.toBe(eventKey(b, hub));
  });
});

describe("correlate", () => {
  it("creates the first event and counts repeats within the window on it", async () => {
    const clock = new FakeClock(1_000_000);
    expect(correlate(undefined, clock.now(), tenMinutes)).toEqual({ action: "create" });
    const seen = { name: "shop.1f", namespace: "team-a", count: 2, lastSeen: clock.now() };
    await clock.advance(tenMinutes);
    expect(correlate(seen, clock.now(), tenMinutes)).toEqual({ action: "update", seen, count: 3 });
  });

  it("creates a new event once the last occurrence is older than the window", async () => {
    const clock = new FakeClock(1_000_000);
    const seen = { name: "shop.1f", namespace: "team-a", count: 7, lastSeen: clock.now() };
    await clock.advance(tenMinutes + 1);
    expect(correlate(seen, clock.now(), tenMinutes)).toEqual({ action: "create" });
  });
});

describe("eventBody", () => {
  const now = Date.parse("2026-11-20T10:00:00.250Z");

  it("is a core/v1 Event in the object's namespace, from the configured component", () => {
    expect(eventBody(rendered, hub, { now, name: "shop.abc" })).toEqual({
      metadata: { name: "shop.abc", namespace: "team-a" },
      involvedObject: app,
      type: "Normal",
      reason: "Rendered",
      message: "rendered 3 objects for 2 clusters",
      source: { component: "flotilla-hub", host: "hub-0" },
      reportingComponent: "flotilla-hub",
      reportingInstance: "hub-0",
      firstTimestamp: "2026-11-20T10:00:00Z",
      lastTimestamp: "2026-11-20T10:00:00Z",
      count: 1,
    });
  });

  it("puts events of cluster-scoped objects in default, and cuts long messages", () => {
    const cluster = { apiVersion: "v1", kind: "Namespace", name: "team-a" };
    const long = { ...rendered, involvedObject: cluster, message: "x".repeat(5000) };
    const body = eventBody(long, { component: "flotilla-hub" }, { now, name: "team-a.abc" });
    expect(body.metadata.namespace).toBe("default");
    expect(body.involvedObject).toEqual(cluster);
    expect(body.message).toHaveLength(maxMessageLength);
    expect(body.source).toEqual({ component: "flotilla-hub" });
    expect(body.reportingInstance).toBeUndefined();
  });

  it("names events <object>.<suffix> within 253 characters", () => {
    expect(eventName("shop", "00ff")).toBe("shop.00ff");
    const name = eventName("a".repeat(253), "0123456789abcdef");
    expect(name).toHaveLength(253);
    expect(name.endsWith(".0123456789abcdef")).toBe(true);
  });
});

describe("boundedCache", () => {
  it("keeps the most recently used entries and never more than its size", () => {
    const cache = boundedCache<number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, i);
    expect(cache.size).toBe(2);
    expect(() => boundedCache(0)).toThrow(RangeError);
  });
});

describe("createEventRecorder", () => {
  it("never rejects: a failed write is logged", async () => {
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromOptions({
      clusters: [{ name: "c", server: "https://127.0.0.1:1", skipTLSVerify: true }],
      users: [{ name: "u", token: "t" }],
      contexts: [{ name: "x", cluster: "c", user: "u" }],
      currentContext: "x",
    });
    const warnings: Array<Record<string, unknown> | undefined> = [];
    const log = {
      info: () => {},
      error: () => {},
      warn: (_: string, f?: object) => void warnings.push(f as Record<string, unknown>),
    };
    const recorder = createEventRecorder({ kubeconfig, component: "flotilla-hub", log });
    await expect(recorder.recordEvent(rendered)).resolves.toBeUndefined();
    await expect(recorder.recordEvent(rendered)).resolves.toBeUndefined();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatchObject({ object: "Application team-a/shop", reason: "Rendered" });
  });
});
