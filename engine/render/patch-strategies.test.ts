// Expected results were checked by running KubeVela's own StrategyUnify (kubevela/workflow
// pkg/cue/model/sets) on the same inputs; "judgement" marks where Flotilla deliberately
// differs, as documented in patch.ts.
import { describe, expect, it } from "vitest";
import { PatchError } from "./patch.js";
import { findPatchAnnotations } from "./patch-annotations.js";
import type { JsonMap, JsonValue } from "../../core/json.js";
import { at, conflictOf, patched } from "../testing/patch-support.js";

describe("applyPatch: retainKeys", () => {
  const fixtureB = `"edge-nginx": {
	type: "trait"
}
template: {
	patch: {
		// +patchStrategy=retainKeys
		metadata: {
			name: "\\(context.name)-\\(context.replicaKey)"
		}
		// +patchStrategy=jsonMergePatch
		spec: values: {
			ingressClassByName: true
		}
	}
	parameter: null
}`;

  it("fixture B (edge-nginx): replaces metadata whole and merge-patches spec.values", () => {
    const base = {
      metadata: { name: "x", labels: { a: "1" } },
      spec: { chart: "c", values: { ingressClassByName: false, other: 1, gone: 2 } },
    };
    const patch = {
      metadata: { name: "web-r1" },
      spec: { values: { ingressClassByName: true, gone: null } },
    };
    // Judgement: KubeVela ignores jsonMergePatch below the patch root and fails on this input.
    expect(patched(base, patch, findPatchAnnotations(fixtureB))).toEqual({
      metadata: { name: "web-r1" },
      spec: { chart: "c", values: { ingressClassByName: true, other: 1 } },
    });
  });

  const strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: "30%" } };
  it("replaces an object field whole and keeps its siblings", () => {
    const result = patched(
      { spec: { strategy, replicas: 2 } },
      { spec: { strategy: { type: "Recreate" } } },
      [at("spec.strategy", { patchStrategy: "retainKeys" })],
    );
    expect(result).toEqual({ spec: { strategy: { type: "Recreate" }, replicas: 2 } });
  });

  it("on the shorthand `strategy: type:` applies to `type` only, as KubeVela does", () => {
    const annotations = findPatchAnnotations(
      'patch: spec: {\n  // +patchStrategy=retainKeys\n  strategy: type: "Recreate"\n}',
    );
    expect(
      patched({ spec: { strategy } }, { spec: { strategy: { type: "Recreate" } } }, annotations),
    ).toEqual({
      spec: { strategy: { type: "Recreate", rollingUpdate: { maxSurge: "30%" } } },
    });
  });

  it("replaces a scalar without conflict and adds a missing field", () => {
    const annotations = [
      at("spec.replicas", { patchStrategy: "retainKeys" }),
      at("spec.strategy", { patchStrategy: "retainKeys" }),
    ];
    expect(
      patched(
        { spec: { replicas: 1 } },
        { spec: { replicas: 3, strategy: { type: "Recreate" } } },
        annotations,
      ),
    ).toEqual({
      spec: { replicas: 3, strategy: { type: "Recreate" } },
    });
  });

  it("replaces matched elements of a keyed list and keeps the others", () => {
    const base: JsonMap = {
      env: [
        { name: "a", value: "1", x: 1 },
        { name: "b", value: "2" },
      ],
    };
    const patch = {
      env: [
        { name: "a", value: "9" },
        { name: "c", value: "3" },
      ],
    };
    const result = patched(base, patch, [
      at("env", { patchKey: "name", patchStrategy: "retainKeys" }),
    ]);
    expect(result.env).toEqual([
      { name: "a", value: "9" },
      { name: "b", value: "2" },
      { name: "c", value: "3" },
    ]);
  });

  it("does nothing special on a list without a key (it still unifies)", () => {
    const annotations = [at("tolerations", { patchStrategy: "retainKeys" })];
    expect(
      conflictOf(() =>
        patched({ tolerations: [{ key: "a" }] }, { tolerations: [{ key: "c" }] }, annotations),
      ).path,
    ).toBe("tolerations[0].key");
  });

  it("applies inside list elements matched by index", () => {
    const base = {
      containers: [{ name: "a", resources: { limits: { cpu: 1 }, requests: { cpu: 1 } } }],
    };
    const result = patched(base, { containers: [{ resources: { limits: { cpu: 2 } } }] }, [
      at("containers[*].resources", { patchStrategy: "retainKeys" }),
    ]);
    expect(result).toEqual({ containers: [{ name: "a", resources: { limits: { cpu: 2 } } }] });
  });

  it("is ignored on the patch root, as in KubeVela", () => {
    expect(
      patched({ spec: { replicas: 1 } }, { spec: { x: 1 } }, [
        at("", { patchStrategy: "retainKeys", patchKey: "name" }),
      ]),
    ).toEqual({
      spec: { replicas: 1, x: 1 },
    });
  });
});

describe("applyPatch: replace", () => {
  it("replaces a list whole, also inside keyed elements", () => {
    const base: JsonMap = {
      spec: { containers: [{ name: "c1", env: [{ name: "e1", value: "v1" }, { name: "e2" }] }] },
    };
    const patch = { spec: { containers: [{ name: "c1", env: [{ name: "e1", value: "v2" }] }] } };
    const annotations = [
      at("spec", { patchKey: "name" }),
      at("spec.containers[*].env", { patchStrategy: "replace" }),
    ];
    expect(patched(base, patch, annotations)).toEqual({
      spec: { containers: [{ name: "c1", env: [{ name: "e1", value: "v2" }] }] },
    });
  });

  it("sets a list the object lacks", () => {
    expect(
      patched({ spec: { x: 1 } }, { spec: { env: [{ name: "c" }] } }, [
        at("spec.env", { patchStrategy: "replace" }),
      ]),
    ).toEqual({
      spec: { x: 1, env: [{ name: "c" }] },
    });
  });

  it('applies under a label computed at evaluation (`"\\(k)": …`, annotated as *)', () => {
    const annotations = findPatchAnnotations(`patch: {
  for k, v in parameter.lists {
    "\\(k)": {
      // +patchStrategy=replace
      items: v
    }
  }
}`);
    expect(
      patched({ a: { items: [1, 2] }, b: { items: [3] } }, { a: { items: [9] } }, annotations),
    ).toEqual({
      a: { items: [9] },
      b: { items: [3] },
    });
  });

  it("judgement: keeps a replaced list as written (KubeVela garbles nested keyed duplicates)", () => {
    const patch = {
      c: [
        {
          name: "m",
          env: [
            { name: "C", value: "2" },
            { name: "C", value: "1" },
          ],
        },
      ],
    };
    const annotations = [at("c", { patchKey: "name", patchStrategy: "replace" })];
    expect(patched({ c: [{ name: "x" }] }, patch, annotations)).toEqual(patch);
  });

  it("does nothing special on an object (it still merges)", () => {
    expect(
      patched({ s: { a: 1 } }, { s: { b: 1 } }, [at("s", { patchStrategy: "replace" })]),
    ).toEqual({ s: { a: 1, b: 1 } });
  });
});

describe("applyPatch: jsonMergePatch", () => {
  const root = [at("", { patchStrategy: "jsonMergePatch" })];
  it("on the root follows RFC 7386: null deletes, lists are replaced, objects merge", () => {
    const base = { spec: { replicas: 1, a: { b: 1, c: 2 }, l: [1, 2] } };
    const patch = { spec: { replicas: 3, a: { b: null, d: 4 }, l: [9] } };
    expect(patched(base, patch, root)).toEqual({
      spec: { replicas: 3, a: { c: 2, d: 4 }, l: [9] },
    });
  });

  it("uses no annotation below it", () => {
    const annotations = [...root, at("c", { patchKey: "name" })];
    expect(patched({ c: [{ name: "a", v: 1 }] }, { c: [{ name: "b" }] }, annotations)).toEqual({
      c: [{ name: "b" }],
    });
  });

  it("fails when the result is no longer an object", () => {
    expect(conflictOf(() => patched({ a: 1 }, "text", root)).reason).toBe("kinds");
  });
});

describe("applyPatch: jsonPatch", () => {
  const root = [at("", { patchStrategy: "jsonPatch" })];
  const ops = (...operations: JsonValue[]): JsonMap => ({ operations });

  it("on the root applies add, remove, replace, move, copy and test in order", () => {
    const base = { spec: { replicas: 1, l: [1, 2], a: { x: 1 }, drop: true } };
    const result = patched(
      base,
      ops(
        { op: "replace", path: "/spec/replicas", value: 4 },
        { op: "add", path: "/spec/l/-", value: 3 },
        { op: "remove", path: "/spec/drop" },
        { op: "move", from: "/spec/a/x", path: "/spec/b" },
        { op: "copy", from: "/spec/l", path: "/spec/l2" },
        { op: "test", path: "/spec/replicas", value: 4 },
      ),
      root,
    );
    expect(result).toEqual({ spec: { replicas: 4, l: [1, 2, 3], a: {}, b: 1, l2: [1, 2, 3] } });
  });

  it("applies at a nested field with pointers relative to it", () => {
    const result = patched(
      { spec: { replicas: 1 } },
      { spec: ops({ op: "replace", path: "/replicas", value: 2 }) },
      [at("spec", { patchStrategy: "jsonPatch" })],
    );
    expect(result).toEqual({ spec: { replicas: 2 } });
  });

  it.each([
    [
      "a failed test",
      ops({ op: "test", path: "/a", value: 2 }),
      /operation 0: test "\/a": test failed/,
    ],
    [
      "removing a missing member",
      ops({ op: "remove", path: "/zz" }),
      /remove "\/zz": the path does not exist/,
    ],
    ["an unknown operation", ops({ op: "frob", path: "/a" }), /unknown operation "frob"/],
    ["a value without operations", { op: "add" }, /needs an "operations" list/],
  ])("fails with a PatchError on %s", (_, patch, message) => {
    expect(() => patched({ a: 1 }, patch, root)).toThrow(PatchError);
    expect(() => patched({ a: 1 }, patch, root)).toThrow(message);
  });
});
