/**
 * The reflector against a real local HTTP peer that serves the list and watch answers each
 * test scripts, with a fake clock for every delay (backoff, dead-watch timer, re-watch).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JsonObject } from "../json.js";
import { FakeClock } from "../testing/fake-clock.js";
import { HttpPeer, type PeerRequest } from "../testing/http-peer.js";
import { createKubeClient, type KubeClient } from "./client.js";
import { Reflector, SHORTEST_WATCH_MS, type Change } from "./reflector.js";

const PATH = "/api/v1/namespaces/ns/secrets";
const item = (name: string, resourceVersion: string, data = ""): JsonObject => ({
  metadata: { name, namespace: "ns", resourceVersion },
  data,
});
const list = (resourceVersion: string, ...items: JsonObject[]): JsonObject => ({
  kind: "SecretList",
  metadata: { resourceVersion },
  items,
});

/** Polls `check` in real time (the HTTP side is real) until it holds. */
async function until(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let peer: HttpPeer;
let client: KubeClient;
let clock: FakeClock;
let changes: Array<Change<JsonObject>>;
let warnings: string[];
let reflector: Reflector<JsonObject>;

function reflect(watchTimeoutSeconds = 300): Reflector<JsonObject> {
  reflector = new Reflector({
    client,
    path: PATH,
    selectors: { labelSelector: "kind=credential" },
    transform: (object) => object,
    onChange: (change) => changes.push(change),
    clock,
    log: {
      info: () => undefined,
      warn: (message) => warnings.push(message),
      error: () => undefined,
    },
    watchTimeoutSeconds: () => watchTimeoutSeconds,
  });
  return reflector;
}

/** The next request, firing the zero-delay timers that start it. */
async function next(): Promise<PeerRequest> {
  await until(() => {
    void clock.advance(0);
    return peer.pending() > 0;
  }, "a request");
  return peer.next();
}

async function answerList(body: JsonObject): Promise<PeerRequest> {
  const request = await next();
  expect(request.query.get("watch")).toBeNull();
  request.reply(200, body);
  return request;
}

async function openWatch(resourceVersion: string): Promise<PeerRequest> {
  const request = await next();
  expect(request.query.get("watch")).toBe("true");
  expect(request.query.get("resourceVersion")).toBe(resourceVersion);
  request.open();
  return request;
}

/** No request reaches the peer within a short real wait. */
async function quiet(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(peer.pending()).toBe(0);
}

beforeEach(async () => {
  peer = await HttpPeer.start();
  client = createKubeClient({ server: peer.url, insecure: false });
  clock = new FakeClock(1_000_000);
  changes = [];
  warnings = [];
});

afterEach(async () => {
  reflector.stop();
  client.close();
  await peer.close();
});

describe("Reflector", () => {
  it("lists, then watches from the list's resourceVersion and applies every event", async () => {
    const started = reflect().start();
    const listed = await answerList(list("10", item("a", "1"), item("b", "2")));
    expect(listed.path).toBe(PATH);
    expect(listed.query.get("labelSelector")).toBe("kind=credential");
    const watch = await openWatch("10");
    expect(watch.query.get("labelSelector")).toBe("kind=credential");
    expect(watch.query.get("allowWatchBookmarks")).toBe("true");
    expect(watch.query.get("timeoutSeconds")).toBe("300");
    await started;
    expect(reflector.synced()).toBe(true);

    watch.event("ADDED", item("c", "11"));
    watch.event("MODIFIED", item("a", "12", "new"));
    watch.event("DELETED", item("b", "13"));
    await until(() => changes.length === 5, "five changes");
    expect(changes.map((c) => `${c.kind} ${c.key}`)).toEqual([
      "upsert ns/a",
      "upsert ns/b",
      "upsert ns/c",
      "upsert ns/a",
      "remove ns/b",
    ]);
    expect(reflector.items().get("ns/a")).toEqual(item("a", "12", "new"));
    expect([...reflector.items().keys()].sort()).toEqual(["ns/a", "ns/c"]);
  });

  it("watches again from the last resourceVersion (bookmarks too) when a watch ends", async () => {
    const started = reflect().start();
    await answerList(list("10"));
    const first = await openWatch("10");
    await started;
    first.event("ADDED", item("a", "11"));
    first.write(
      `${JSON.stringify({ type: "BOOKMARK", object: { metadata: { resourceVersion: "14" } } })}\n`,
    );
    await until(() => changes.length === 1, "the ADDED event");
    await clock.advance(SHORTEST_WATCH_MS);
    first.end();
    // No re-list: the next request is the watch, from the bookmark's resourceVersion.
    await openWatch("14");
    expect(warnings).toEqual([]);
  });

  it("backs off before watching again when the server ends a watch at once", async () => {
    const started = reflect().start();
    await answerList(list("10"));
    (await openWatch("10")).end();
    await started;
    await until(() => clock.nextDelay() === 1_000, "the backoff");
    await clock.advance(999);
    await quiet();
    await clock.advance(1);
    await openWatch("10");
  });

  it("doubles the backoff while every watch ends at once; one that runs its course resets it", async () => {
    const started = reflect().start();
    await answerList(list("10"));
    (await openWatch("10")).end();
    await started;
    await until(() => clock.nextDelay() === 1_000, "the backoff");
    await clock.advance(1_000);
    (await openWatch("10")).end();
    await until(() => clock.nextDelay() === 2_000, "the doubled backoff");
    await clock.advance(1_999);
    await quiet();
    await clock.advance(1);
    const healthy = await openWatch("10");
    await clock.advance(SHORTEST_WATCH_MS);
    healthy.end();
    (await openWatch("10")).end(); // at once: the healthy watch reset the backoff
    await until(() => clock.nextDelay() === 1_000, "the backoff, reset");
  });

  it("backs off, doubling, while every watch sends an ERROR event at once", async () => {
    const error = { kind: "Status", code: 500, message: "etcd went away" };
    const started = reflect().start();
    await answerList(list("10"));
    (await openWatch("10")).event("ERROR", error);
    await started;
    await until(() => clock.nextDelay() === 1_000, "the backoff");
    await clock.advance(1_000);
    await answerList(list("10"));
    (await openWatch("10")).event("ERROR", error);
    await until(() => clock.nextDelay() === 2_000, "the doubled backoff");
    await clock.advance(1_999);
    await quiet();
    await clock.advance(1);
    await answerList(list("10"));
    expect(warnings).toHaveLength(2);
  });

  it("re-lists at once on 410 Gone (status or ERROR event), reporting what the re-list removed", async () => {
    const started = reflect().start();
    await answerList(list("10", item("a", "1"), item("b", "2")));
    (await next()).status(410, "Expired", "too old resource version: 10 (20)");
    await started;
    await answerList(list("20", item("a", "1")));
    const watch = await openWatch("20");
    expect(changes.map((c) => `${c.kind} ${c.key}`)).toEqual([
      "upsert ns/a",
      "upsert ns/b",
      "remove ns/b",
    ]);

    watch.event("ERROR", { kind: "Status", code: 410, reason: "Expired", message: "too old" });
    await answerList(list("30", item("a", "3"), item("c", "4")));
    await watch.closed();
    await openWatch("30");
    expect(changes.slice(3).map((c) => `${c.kind} ${c.key}`)).toEqual([
      "upsert ns/a",
      "upsert ns/c",
    ]);
    // No backoff is pending: only the new watch's dead-watch timer.
    await until(() => clock.pending() === 1, "the dead-watch timer");
    expect(clock.nextDelay()).toBe(330_000);
  });

  it("backs off on other failures, doubling, and a watch that proved healthy resets it", async () => {
    const started = reflect().start();
    (await next()).status(500, "InternalError");
    await started;
    expect(reflector.synced()).toBe(false);
    expect(clock.nextDelay()).toBe(1_000);
    await clock.advance(999);
    await quiet();
    await clock.advance(1);
    (await next()).status(503, "ServiceUnavailable");
    await until(() => clock.nextDelay() === 2_000, "the doubled backoff");
    await clock.advance(2_000);
    await answerList(list("10"));
    (await next()).status(403, "Forbidden"); // the watch refused
    await until(() => clock.nextDelay() === 4_000, "the backoff after a refused watch");
    await clock.advance(4_000);
    await answerList(list("11"));
    const watch = await openWatch("11");
    watch.event("ADDED", item("a", "12")); // the watch works
    await until(() => changes.length === 1, "the ADDED event");
    watch.event("ERROR", { kind: "Status", code: 500, message: "etcd went away" });
    await watch.closed();
    await until(() => clock.nextDelay() === 1_000, "the backoff, reset by the healthy watch");
    await clock.advance(1_000);
    await answerList(list("12"));
    expect(warnings).toHaveLength(4);
  });

  it("re-lists after the backoff when the stream breaks or sends a line that is not JSON", async () => {
    const started = reflect().start();
    await answerList(list("10"));
    const watch = await openWatch("10");
    await started;
    watch.write("<html>proxy error</html>\n");
    await watch.closed();
    await until(() => clock.nextDelay() === 1_000, "the backoff");
    await clock.advance(1_000);
    await answerList(list("10"));
  });

  it("replaces a watch that stays open past its timeout", async () => {
    const started = reflect(5).start();
    await answerList(list("10"));
    const silent = await openWatch("10");
    await started;
    expect(clock.nextDelay()).toBe(35_000);
    await clock.advance(34_999);
    await quiet();
    await clock.advance(1);
    await silent.closed();
    await openWatch("10");
    expect(warnings).toEqual(["watch silent past its timeout; replacing it"]);
  });

  it("stops: the watch is closed, no timer is left and nothing is asked again", async () => {
    const started = reflect().start();
    await answerList(list("10"));
    const watch = await openWatch("10");
    await started;
    reflector.stop();
    await watch.closed();
    expect(clock.pending()).toBe(0);
    await clock.advance(120_000);
    await quiet();
    reflector.stop(); // idempotent
  });

  it("stops during a backoff without asking again", async () => {
    const started = reflect().start();
    (await next()).status(500, "InternalError");
    await started;
    reflector.stop();
    expect(clock.pending()).toBe(0);
    await clock.advance(60_000);
    await quiet();
  });
});
