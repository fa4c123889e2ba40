import { describe, expect, it } from "vitest";
import type { JsonObject } from "../json.js";
import { ObjectStore } from "./store.js";

const object = (name: string, resourceVersion: string, extra: JsonObject = {}): JsonObject => ({
  metadata: { name, namespace: "ns", resourceVersion },
  ...extra,
});

describe("ObjectStore with whole objects", () => {
  const store = (): ObjectStore<JsonObject> => new ObjectStore({ transform: (o) => o });

  it("upserts new and changed objects, removes missing ones, skips unchanged ones", () => {
    const s = store();
    expect(s.replace([object("a", "1"), object("b", "1"), object("c", "1")])).toHaveLength(3);
    const changes = s.replace([object("a", "1"), object("b", "2"), object("d", "3")]);
    expect(changes).toEqual([
      { kind: "upsert", key: "ns/b", value: object("b", "2") },
      { kind: "upsert", key: "ns/d", value: object("d", "3") },
      { kind: "remove", key: "ns/c", value: object("c", "1") },
    ]);
    expect([...s.items().keys()].sort()).toEqual(["ns/a", "ns/b", "ns/d"]);
  });

  it("reports a watched change once per resourceVersion, a removal with the kept value", () => {
    const s = store();
    expect(s.upsert(object("a", "1"))).toMatchObject({ kind: "upsert", key: "ns/a" });
    expect(s.upsert(object("a", "1"))).toBeUndefined();
    expect(s.upsert(object("a", "2", { data: 1 }))).toMatchObject({ kind: "upsert" });
    expect(s.remove(object("a", "3"))).toEqual({
      kind: "remove",
      key: "ns/a",
      value: object("a", "2", { data: 1 }),
    });
    expect(s.remove(object("a", "3"))).toBeUndefined();
  });
});

describe("ObjectStore with summaries", () => {
  const ready = (o: JsonObject): boolean | undefined =>
    o.ready === undefined ? undefined : o.ready === true;
  const store = (): ObjectStore<boolean> =>
    new ObjectStore({ transform: ready, equal: (a, b) => a === b });

  it("keeps only the summary and reports only changes of it", () => {
    const s = store();
    expect(s.upsert(object("n", "1", { ready: true }))).toEqual({
      kind: "upsert",
      key: "ns/n",
      value: true,
    });
    expect(s.upsert(object("n", "2", { ready: true, noise: 1 }))).toBeUndefined();
    expect(s.upsert(object("n", "3", { ready: false }))).toMatchObject({ value: false });
    expect(s.items().get("ns/n")).toBe(false);
  });

  it("drops an object whose transform keeps nothing (a removal when it was kept)", () => {
    const s = store();
    s.upsert(object("p", "1", { ready: true }));
    expect(s.upsert(object("p", "2"))).toEqual({ kind: "remove", key: "ns/p", value: true });
    expect(s.upsert(object("q", "1"))).toBeUndefined();
    expect(s.items().size).toBe(0);
  });
});
