// Which comment counts for which field was checked by running KubeVela's StrategyUnify on
// the same templates (a blank line, a trailing comment or an `if` in between: not used).
import { describe, expect, it } from "vitest";
import { sidecarTemplate } from "../testing/patch-support.js";
import {
  annotationsForOutput,
  findPatchAnnotations,
  formatPath,
  type PatchAnnotation,
} from "./patch-annotations.js";

/** `root:path key strategy` per annotation, for compact expectations. */
const brief = (annotations: PatchAnnotation[]): string[] =>
  annotations.map((a) =>
    [`${a.root}:${a.path}`, a.patchKey && `key=${a.patchKey}`, a.patchStrategy]
      .filter(Boolean)
      .join(" "),
  );
const scan = (src: string): string[] => brief(findPatchAnnotations(src));

describe("findPatchAnnotations", () => {
  it("fixture A (sidecar): the shorthand path, relative to patch, with its line", () => {
    expect(findPatchAnnotations(sidecarTemplate)).toEqual([
      {
        root: "patch",
        segments: ["spec", "template", "spec", "containers"],
        path: "spec.template.spec.containers",
        patchKey: "name",
        line: 3,
      },
    ]);
  });

  it("fixture B (edge-nginx): inside `template:`, past interpolated strings", () => {
    const src = `"edge-nginx": {
\ttype: "trait"
}
template: {
\tpatch: {
\t\t// +patchStrategy=retainKeys
\t\tmetadata: {
\t\t\tname: "\\(context.name)-\\(context.replicaKey)"
\t\t}
\t\t// +patchStrategy=jsonMergePatch
\t\tspec: values: {
\t\t\tingressClassByName: true
\t\t}
\t}
\tparameter: null
}`;
    expect(scan(src)).toEqual(["patch:metadata retainKeys", "patch:spec.values jsonMergePatch"]);
  });

  it("marks list elements with [*] (KubeVela's init-container trait)", () => {
    const src = `patch: spec: template: spec: {
\t// +patchKey=name
\tcontainers: [{
\t\tname: context.name
\t\t// +patchKey=name
\t\tvolumeMounts: [{name: parameter.mountName}]
\t}]
\t// +patchKey=name
\tinitContainers: [{
\t\tif parameter.cmd != _|_ {
\t\t\tcommand: parameter.cmd
\t\t}
\t\t// +patchKey=name
\t\tvolumeMounts: list.Concat([[{name: "x"}], parameter.extraVolumeMounts])
\t}]
}`;
    expect(scan(src)).toEqual([
      "patch:spec.template.spec.containers key=name",
      "patch:spec.template.spec.containers[*].volumeMounts key=name",
      "patch:spec.template.spec.initContainers key=name",
      "patch:spec.template.spec.initContainers[*].volumeMounts key=name",
    ]);
  });

  it("adds no label for if and for blocks; dynamic labels become *", () => {
    const src = `patch: {
  spec: {
    if parameter.kind == "Deployment" && parameter.type != "OnDelete" {
      // +patchStrategy=retainKeys
      strategy: type: parameter.type
    }
    for k, v in parameter.extra {
      "\\(k)": {
        // +patchStrategy=replace
        items: [ for i in v { name: i } ]
      }
    }
  }
  env: [ for k, v in parameter.env {
    // +patchKey=name
    valueFrom: [v]
  } ]
}`;
    expect(scan(src)).toEqual([
      "patch:spec.strategy.type retainKeys",
      "patch:spec.*.items replace",
      "patch:env[*].valueFrom key=name",
    ]);
  });

  it.each([
    ["a blank line", "// +patchKey=name\n\nc: [x]"],
    ["a trailing comment", "a: 1 // +patchKey=name\nc: [x]"],
    ["a comment after a comma", "a: 1, // +patchKey=name\nc: [x]"],
    ["an if in between", "// +patchKey=name\nif true {\nc: [x]\n}"],
    ["a value of two words", "// +patchKey=name other\nc: [x]"],
    ["an unknown strategy", "// +patchStrategy=merge\nc: [x]"],
    ["a tag inside a string", 'c: "// +patchKey=name"\nd: [x]'],
  ])("ignores %s", (_, body) => {
    expect(scan(`patch: {\n${body}\n}`)).toEqual([]);
  });

  it("reads a group like KubeVela: other lines allowed, blanks around =, the last tag wins", () => {
    const src = `patch: {
  // +patchKey=id
  // words in between
  //+patchKey = name
  // +patchStrategy=retainKeys
  c: [x]
}`;
    expect(scan(src)).toEqual(["patch:c key=name retainKeys"]);
  });

  it("reports an annotation on patch itself with an empty path, and none outside patch", () => {
    const src = `outputs: svc: {
  // +patchKey=name
  ports: []
}
// +patchStrategy=jsonMergePatch
patch: parameter
parameter: {...}`;
    expect(findPatchAnnotations(src)).toEqual([
      { root: "patch", segments: [], path: "", patchStrategy: "jsonMergePatch", line: 6 },
    ]);
  });

  it("follows a patch made of the parameter, as KubeVela's resolved export does", () => {
    const src = `patch: parameter
parameter: {
  // +patchKey=name
  list: [...]
}`;
    expect(scan(src)).toEqual(["patch:list key=name"]);
  });

  it("skips strings, raw strings and multi-line strings whole", () => {
    const src = `patch: {
  a: "}{ \\" ] \\(strings.Join(["x", ")"], "}"))"
  b: #"raw " } \\(not) "#
  c: """
    // +patchKey=nope
    }
    """
  // +patchKey=name
  d: [x]
}`;
    expect(scan(src)).toEqual(["patch:d key=name"]);
  });

  it("finds annotations in the helpers a patch uses, where they are used", () => {
    const src = `PatchContainer: {
  name: _params.containerName
  if _base == _|_ {
    // +patchStrategy=replace
    env: [...]
  }
}
patch: spec: template: spec: {
  // +patchKey=name
  containers: [PatchContainer & {_params: parameter}]
}`;
    expect(scan(src)).toEqual([
      "patch:spec.template.spec.containers key=name",
      "patch:spec.template.spec.containers[*].env replace",
    ]);
  });

  it("follows a let, and a nearer field that shadows a helper (as KubeVela's resource trait)", () => {
    const src = `Helper: {
  // +patchStrategy=replace
  env: [...]
}
patch: {
  let content = {
    resources: {
      // +patchStrategy=retainKeys
      requests: {cpu: parameter.cpu}
    }
  }
  Helper: {env: []}
  spec: containers: [content & Helper]
}`;
    expect(scan(src)).toEqual(["patch:spec.containers[*].resources.requests retainKeys"]);
  });

  it("does not report hidden fields, definitions or lets", () => {
    const src = `patch: {
  _tmp: {
    // +patchKey=name
    list: [x]
  }
  let helper = {
    // +patchKey=name
    list: [x]
  }
  #Def: {
    // +patchKey=name
    list: [x]
  }
}`;
    expect(scan(src)).toEqual([]);
  });

  it("quotes labels that are not identifiers", () => {
    const src = 'patch: metadata: {\n  // +patchStrategy=retainKeys\n  "app.oam.dev/x": {}\n}';
    expect(scan(src)).toEqual(['patch:metadata."app.oam.dev/x" retainKeys']);
    expect(formatPath(["a", "[*]", "b", 0, "c d"])).toBe('a[*].b[0]."c d"');
  });
});

describe("annotationsForOutput", () => {
  const all = findPatchAnnotations(`patchOutputs: {
  service: {
    // +patchKey=name
    spec: ports: [...]
  }
  // +patchStrategy=jsonMergePatch
  ingress: { metadata: {} }
  for k, v in context.outputs {
    "\\(k)": {
      // +patchStrategy=retainKeys
      metadata: annotations: {}
    }
  }
}`);

  it("reports patchOutputs annotations under their own root, the output name first", () => {
    expect(brief(all)).toEqual([
      "patchOutputs:service.spec.ports key=name",
      "patchOutputs:ingress jsonMergePatch",
      "patchOutputs:*.metadata.annotations retainKeys",
    ]);
  });

  it("selects one output's annotations, takes its name off and drops the entry's own", () => {
    expect(brief(annotationsForOutput(all, "service"))).toEqual([
      "patchOutputs:spec.ports key=name",
      "patchOutputs:metadata.annotations retainKeys",
    ]);
    expect(brief(annotationsForOutput(all, "ingress"))).toEqual([
      "patchOutputs:metadata.annotations retainKeys",
    ]);
  });
});
