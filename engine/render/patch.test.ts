// Expected results were checked by running KubeVela's own StrategyUnify (kubevela/workflow
// pkg/cue/model/sets) on the same inputs; the tests marked "judgement" are where Flotilla
// deliberately differs, as documented in patch.ts.
import { describe, expect, it } from "vitest";
import { applyPatch, PatchError } from "./patch.js";
import { findPatchAnnotations } from "./patch-annotations.js";
import type { JsonMap, JsonValue } from "../../core/json.js";
import { at, conflictOf, patched, sidecarTemplate } from "../testing/patch-support.js";

const deployment = (containers: JsonValue[]): JsonMap => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  spec: { replicas: 1, template: { spec: { containers } } },
});

describe("applyPatch: unification (no annotation)", () => {
  it("merges objects recursively, keeping the object's key order, then new keys", () => {
    const result = patched({ a: { x: 1 }, b: 2 }, { a: { y: 2 }, c: 3, b: 2 });
    expect(result).toEqual({ a: { x: 1, y: 2 }, b: 2, c: 3 });
    expect(Object.keys(result)).toEqual(["a", "b", "c"]);
  });

  it("reports different scalars as a conflict at the field path", () => {
    const error = conflictOf(() => patched({ spec: { replicas: 1 } }, { spec: { replicas: 2 } }));
    expect(error).toBeInstanceOf(PatchError);
    expect(error.path).toBe("spec.replicas");
    expect(error.reason).toBe("values");
    expect(error.code).toBe("InvalidInput");
    expect(error.message).toContain("conflicting values 2 and 1");
  });

  it.each([
    [{ x: { a: 1 } }, { x: [1] }, "list and struct"],
    [{ x: null }, { x: 1 }, "number and null"],
    [{ x: "1" }, { x: 1 }, "number and string"],
  ])("reports different kinds as a conflict (%j & %j)", (base, patch, kinds) => {
    const error = conflictOf(() => patched(base, patch));
    expect(error.reason).toBe("kinds");
    expect(error.message).toContain(`mismatched types ${kinds}`);
  });

  it("unifies lists by index, a longer patch list adding elements (the object's lists are open)", () => {
    const result = patched({ a: [{ x: 1 }, { y: 2 }] }, { a: [{ z: 1 }, { w: 2 }, { v: 3 }] });
    expect(result).toEqual({ a: [{ x: 1, z: 1 }, { y: 2, w: 2 }, { v: 3 }] });
  });

  it("reports a shorter patch list as a conflict", () => {
    const error = conflictOf(() => patched({ a: [1, 2] }, { a: [1] }));
    expect(error).toMatchObject({ path: "a", reason: "listLengths" });
  });

  it("reports a conflict inside the elements before the length conflict, as CUE does", () => {
    const error = conflictOf(() => patched({ a: [{ x: 1 }, { x: 2 }] }, { a: [{ x: 3 }] }));
    expect(error).toMatchObject({ path: "a[0].x", reason: "values" });
  });

  it("locates a conflict inside a list element", () => {
    const base = deployment([{ name: "main", image: "nginx" }]);
    const patch = { spec: { template: { spec: { containers: [{ image: "other" }] } } } };
    expect(conflictOf(() => patched(base, patch)).path).toBe(
      "spec.template.spec.containers[0].image",
    );
  });

  it("never mutates its inputs and returns a value that shares nothing with them", () => {
    const base = { a: { list: [{ k: 1 }] }, untouched: { deep: [1] } };
    const result = applyPatch(base, { a: { b: 1 } }, []);
    (result.untouched as { deep: number[] }).deep.push(2);
    expect(base).toEqual({ a: { list: [{ k: 1 }] }, untouched: { deep: [1] } });
  });

  it("keeps a __proto__ key as data", () => {
    const result = patched(JSON.parse('{"m":{"__proto__":{"x":1}}}') as JsonMap, {
      m: { y: 2 },
    });
    expect(Object.getPrototypeOf(result.m)).toBe(Object.prototype);
    expect(Object.keys(result.m as object)).toEqual(["__proto__", "y"]);
  });

  it("rejects values that are not JSON", () => {
    expect(() => applyPatch({}, { a: { b: undefined } }, [])).toThrow(/not JSON at "a.b"/);
    expect(() => applyPatch({ when: new Date(0) }, {}, [])).toThrow(PatchError);
  });
});

describe("applyPatch: patchKey", () => {
  const sidecar = (container: JsonMap): JsonMap => ({
    spec: { template: { spec: { containers: [container] } } },
  });

  it("fixture A (sidecar): appends a container with a new name", () => {
    const annotations = findPatchAnnotations(sidecarTemplate);
    const result = patched(
      deployment([{ name: "main", image: "nginx" }]),
      sidecar({ name: "log", image: "busybox" }),
      annotations,
    );
    expect(result).toEqual(
      deployment([
        { name: "main", image: "nginx" },
        { name: "log", image: "busybox" },
      ]),
    );
  });

  it("fixture A (sidecar): merges into the container of the same name, and conflicts inside it", () => {
    const annotations = findPatchAnnotations(sidecarTemplate);
    const base = deployment([{ name: "main", image: "nginx" }]);
    const merged = patched(base, sidecar({ name: "main", command: ["sh"] }), annotations);
    expect(merged).toEqual(deployment([{ name: "main", image: "nginx", command: ["sh"] }]));
    const error = conflictOf(() =>
      patched(base, sidecar({ name: "main", image: "other" }), annotations),
    );
    expect(error.path).toBe("spec.template.spec.containers[0].image");
  });

  const byName = [at("c", { patchKey: "name" })];
  it.each([
    [
      "keeps the object's order",
      [{ name: "x2" }, { name: "x1" }],
      [{ name: "x1" }, { name: "x2" }],
    ],
    [
      "appends unmatched elements in patch order",
      [{ name: "x4" }, { name: "x3" }, { name: "x1" }],
      [{ name: "x1" }, { name: "x2" }, { name: "x4" }, { name: "x3" }],
    ],
    [
      "drops patch elements without the key",
      [{ noname: "x3" }, { name: "x1", v: 1 }],
      [{ name: "x1", v: 1 }, { name: "x2" }],
    ],
    [
      "unifies by index when no patch element has the key",
      [{ noname: "x3" }, { other: 1 }],
      [
        { name: "x1", noname: "x3" },
        { name: "x2", other: 1 },
      ],
    ],
    [
      "lets the later of two equal keys win",
      [
        { name: "x1", w: 2 },
        { name: "x1", u: 3 },
      ],
      [{ name: "x1", u: 3 }, { name: "x2" }],
    ],
    ["keeps the object's list for an empty patch list", [], [{ name: "x1" }, { name: "x2" }]],
  ])("%s", (_, patch, expected) => {
    expect(patched({ c: [{ name: "x1" }, { name: "x2" }] }, { c: patch }, byName)).toEqual({
      c: expected,
    });
  });

  it("merges into the first of two object elements with the same key only", () => {
    const base = {
      c: [
        { name: "x1", v: 1 },
        { name: "x1", v: 2 },
      ],
    };
    expect(patched(base, { c: [{ name: "x1", w: 3 }] }, byName).c).toEqual([
      { name: "x1", v: 1, w: 3 },
      { name: "x1", v: 2 },
    ]);
  });

  it("compares key values by type as well as value", () => {
    const base = {
      c: [
        { id: 1, v: 1 },
        { id: "1", v: 2 },
      ],
    };
    const result = patched(base, { c: [{ id: 1, w: 3 }] }, [at("c", { patchKey: "id" })]);
    expect(result.c).toEqual([
      { id: 1, v: 1, w: 3 },
      { id: "1", v: 2 },
    ]);
  });

  it("judgement: leaves object elements without the key in place (KubeVela misaligns them)", () => {
    const base = { c: [{ noname: "q" }, { name: "x1", v: 1 }] };
    expect(patched(base, { c: [{ name: "x1", w: 2 }] }, byName).c).toEqual([
      { noname: "q" },
      { name: "x1", v: 1, w: 2 },
    ]);
  });

  it("takes the patch list whole where the object has none", () => {
    expect(
      patched({ spec: { x: 1 } }, { spec: { c: [{ name: "a" }, { name: "a" }] } }, [
        at("spec.c", { patchKey: "name" }),
      ]),
    ).toEqual({
      spec: { x: 1, c: [{ name: "a" }, { name: "a" }] },
    });
  });

  it("passes the key down to nested lists (env merges by name too)", () => {
    const base = { spec: { containers: [{ name: "a", env: [{ name: "E1", value: "1" }] }] } };
    const patch = { spec: { containers: [{ name: "a", env: [{ name: "E2", value: "2" }] }] } };
    expect(patched(base, patch, [at("spec", { patchKey: "name" })])).toEqual({
      spec: {
        containers: [
          {
            name: "a",
            env: [
              { name: "E1", value: "1" },
              { name: "E2", value: "2" },
            ],
          },
        ],
      },
    });
  });

  it("unifies a nested list by index when its elements lack the inherited key", () => {
    const base = { spec: { containers: [{ name: "a", ports: [{ containerPort: 80 }] }] } };
    const patch = { spec: { containers: [{ name: "a", ports: [{ containerPort: 81 }] }] } };
    expect(conflictOf(() => patched(base, patch, [at("spec", { patchKey: "name" })])).path).toBe(
      "spec.containers[0].ports[0].containerPort",
    );
  });

  it("lets a nested patchKey override the inherited one", () => {
    const base = { containers: [{ name: "x2", envs: [{ key: "OPS", value: "1" }] }] };
    const patch = {
      containers: [
        {
          name: "x2",
          envs: [
            { key: "USER", value: "DEV" },
            { key: "OPS", value: "1" },
          ],
        },
      ],
    };
    const annotations = [
      at("containers", { patchKey: "name" }),
      at("containers[*].envs", { patchKey: "key" }),
    ];
    expect(patched(base, patch, annotations)).toEqual({
      containers: [
        {
          name: "x2",
          envs: [
            { key: "OPS", value: "1" },
            { key: "USER", value: "DEV" },
          ],
        },
      ],
    });
  });

  it("matches by a dotted key", () => {
    const base = { envFrom: [{ secretRef: { name: "rds" } }] };
    const result = patched(base, { envFrom: [{ secretRef: { name: "redis" } }] }, [
      at("envFrom", { patchKey: "secretRef.name" }),
    ]);
    expect(result.envFrom).toEqual([
      { secretRef: { name: "rds" } },
      { secretRef: { name: "redis" } },
    ]);
  });

  it("judgement: matches each element by the first of several keys it has", () => {
    const base = { ef: [{ configMapRef: { name: "a" } }, { secretRef: { name: "b" } }] };
    const patch = {
      ef: [{ secretRef: { name: "b", optional: true } }, { configMapRef: { name: "new" } }],
    };
    const result = patched(base, patch, [
      at("ef", { patchKey: "secretRef.name,configMapRef.name" }),
    ]);
    expect(result.ef).toEqual([
      { configMapRef: { name: "a" } },
      { secretRef: { name: "b", optional: true } },
      { configMapRef: { name: "new" } },
    ]);
  });
});
