import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { dumpYaml, type V1CustomResourceDefinition } from "@kubernetes/client-node";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { InvalidInputError } from "../errors.js";
import { loadCrds } from "./crds.js";

/** What KubeVela's CRDs declare (charts/vela-core/crds), which ours must match. */
const expected: Record<
  string,
  { kind: string; scope: string; shortNames: string[]; columns: string[] }
> = {
  "applications.core.oam.dev": {
    kind: "Application",
    scope: "Namespaced",
    shortNames: ["app", "velaapp"],
    columns: ["COMPONENT", "TYPE", "PHASE", "HEALTHY", "STATUS", "AGE"],
  },
  "applicationrevisions.core.oam.dev": {
    kind: "ApplicationRevision",
    scope: "Namespaced",
    shortNames: ["apprev"],
    columns: ["AGE", "PUBLISH_VERSION", "SUCCEEDED"],
  },
  "componentdefinitions.core.oam.dev": {
    kind: "ComponentDefinition",
    scope: "Namespaced",
    shortNames: ["comp"],
    columns: ["WORKLOAD-KIND", "DESCRIPTION"],
  },
  "policydefinitions.core.oam.dev": {
    kind: "PolicyDefinition",
    scope: "Namespaced",
    shortNames: ["def-policy"],
    columns: [],
  },
  "resourcetrackers.core.oam.dev": {
    kind: "ResourceTracker",
    scope: "Cluster",
    shortNames: ["rt"],
    columns: ["TYPE", "APP", "APP-NS", "APP-GEN"],
  },
  "traitdefinitions.core.oam.dev": {
    kind: "TraitDefinition",
    scope: "Namespaced",
    shortNames: ["trait"],
    columns: ["APPLIES-TO", "DESCRIPTION"],
  },
  "workflowstepdefinitions.core.oam.dev": {
    kind: "WorkflowStepDefinition",
    scope: "Namespaced",
    shortNames: ["workflowstep"],
    columns: [],
  },
};

/** A schema node as sent to the API server (wire names: `x-kubernetes-…`). */
interface WireSchema {
  type?: string;
  required?: string[];
  properties?: Record<string, WireSchema>;
  additionalProperties?: WireSchema;
  items?: WireSchema;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
}

/** The schema client-node sends for `crd` (its serializer drops fields its model lacks). */
const wireSchema = (crd: V1CustomResourceDefinition): WireSchema =>
  (parse(dumpYaml(crd)) as { spec: { versions: [{ schema: { openAPIV3Schema: WireSchema } }] } })
    .spec.versions[0].schema.openAPIV3Schema;

/** Paths of schema nodes breaking the structural-schema rules the API server enforces. */
function structuralProblems(schema: WireSchema, at = ""): string[] {
  const problems: string[] = [];
  if (schema.type === undefined && schema["x-kubernetes-int-or-string"] !== true)
    problems.push(`${at || "/"}: no type`);
  if (schema.properties !== undefined && schema.additionalProperties !== undefined)
    problems.push(`${at}: both properties and additionalProperties`);
  for (const [name, child] of Object.entries(schema.properties ?? {}))
    problems.push(...structuralProblems(child, `${at}/${name}`));
  if (schema.items !== undefined) problems.push(...structuralProblems(schema.items, `${at}[]`));
  return problems;
}

/** The schema node a printer column's simple JSONPath (`.spec.a[*].b`) points at. */
function nodeAt(schema: WireSchema, jsonPath: string): WireSchema | undefined {
  let node: WireSchema | undefined = schema;
  for (const part of jsonPath.replace(/^\./, "").split(".")) {
    node = node?.properties?.[part.replace("[*]", "")];
    if (part.endsWith("[*]")) node = node?.items;
  }
  return node;
}

let crds: V1CustomResourceDefinition[];
let all: V1CustomResourceDefinition[];
beforeAll(async () => {
  all = await loadCrds();
  crds = all.filter((c) => c.spec.group === "core.oam.dev");
});

describe("the chart's CRDs", () => {
  it("are the OAM kinds plus Flotilla's ClusterReport (v1alpha1, status subresource)", () => {
    const others = all.filter((c) => c.spec.group !== "core.oam.dev");
    expect(others.map((c) => c.metadata?.name)).toEqual(["clusterreports.cluster.flotilla.dev"]);
    const report = others[0]!;
    expect(report.spec.scope).toBe("Namespaced");
    expect(report.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([
      ["v1alpha1", true, true],
    ]);
    expect(report.spec.versions[0]?.subresources?.status).toEqual({});
    expect(structuralProblems(wireSchema(report))).toEqual([]);
    // Every node count the agent writes is declared, or the API server would prune it.
    for (const field of ["total", "ready", "notReady", "kwok"])
      expect(nodeAt(wireSchema(report), `.status.report.nodes.${field}`)?.type, field).toBe(
        "integer",
      );
    for (const column of report.spec.versions[0]?.additionalPrinterColumns ?? [])
      if (!column.jsonPath.startsWith(".metadata."))
        expect(nodeAt(wireSchema(report), column.jsonPath)?.type, column.jsonPath).toBeDefined();
  });
});

describe("the chart's OAM CRDs", () => {
  it("are the six KubeVela kinds, served and stored as v1beta1 with a status subresource", () => {
    expect(crds.map((c) => c.metadata?.name).sort()).toEqual(Object.keys(expected).sort());
    for (const crd of crds) {
      expect(crd.spec.group).toBe("core.oam.dev");
      expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([
        ["v1beta1", true, true],
      ]);
      expect(crd.spec.versions[0]?.subresources?.status).toEqual({});
    }
  });

  it("have KubeVela's kinds, scopes, short names and printer columns", () => {
    for (const crd of crds) {
      const want = expected[crd.metadata?.name ?? ""];
      const columns = crd.spec.versions[0]?.additionalPrinterColumns ?? [];
      expect({
        kind: crd.spec.names.kind,
        scope: crd.spec.scope,
        shortNames: crd.spec.names.shortNames,
        columns: columns.map((c) => c.name),
      }).toEqual(want);
      expect(crd.spec.names.plural).toBe(crd.metadata?.name?.split(".")[0]);
      expect(crd.spec.names.categories).toEqual(["oam"]);
    }
  });

  it("have structural schemas whose printer columns point at typed fields", () => {
    for (const crd of crds) {
      const version = crd.spec.versions[0];
      const schema = wireSchema(crd);
      expect(structuralProblems(schema), crd.metadata?.name).toEqual([]);
      for (const column of version?.additionalPrinterColumns ?? []) {
        if (column.jsonPath.startsWith(".metadata.")) continue;
        expect(nodeAt(schema, column.jsonPath)?.type, column.jsonPath).toBeDefined();
      }
    }
  });

  it("keep free-form content: properties, schematic, status", () => {
    const schemaOf = (name: string): WireSchema =>
      wireSchema(crds.find((c) => c.metadata?.name === name) as V1CustomResourceDefinition);
    const app = schemaOf("applications.core.oam.dev");
    const preserved = (node: WireSchema | undefined) =>
      node?.["x-kubernetes-preserve-unknown-fields"];
    expect(preserved(nodeAt(app, ".spec.components[*].properties"))).toBe(true);
    expect(preserved(nodeAt(app, ".spec.components[*].traits[*].properties"))).toBe(true);
    expect(preserved(nodeAt(app, ".spec.policies[*].properties"))).toBe(true);
    expect(preserved(nodeAt(app, ".spec.workflow.steps[*].properties"))).toBe(true);
    expect(preserved(nodeAt(app, ".status"))).toBe(true);
    expect(nodeAt(app, ".spec")?.required).toEqual(["components"]);
    for (const kind of ["component", "trait", "policy", "workflowstep"]) {
      const schema = schemaOf(`${kind}definitions.core.oam.dev`);
      expect(preserved(nodeAt(schema, ".spec.schematic")), kind).toBe(true);
      expect(nodeAt(schema, ".spec.schematic.cue.template")?.type, kind).toBe("string");
    }
  });
});

describe("loadCrds", () => {
  let dir: string;
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const load = async (text: string) => {
    dir = await mkdtemp(path.join(os.tmpdir(), "flotilla-crds-"));
    await writeFile(path.join(dir, "x.yaml"), text);
    return loadCrds(dir);
  };

  it("rejects documents that are not CRDs, naming the file", async () => {
    const configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n";
    await expect(load(configMap)).rejects.toThrow(InvalidInputError);
    await expect(load(configMap)).rejects.toThrow(/x\.yaml/);
    const application =
      "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: { name: a }\n" +
      "spec: { components: [{ name: c, type: webservice }] }\n";
    await expect(load(application)).rejects.toThrow(/only CustomResourceDefinitions/);
    await expect(load("kind: [unclosed\n")).rejects.toThrow(/invalid YAML/);
  });

  it("reads every document of every file, skipping empty ones", async () => {
    const crd = (name: string) =>
      `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: ${name} }\nspec: {}\n`;
    const loaded = await load(`${crd("a.example.com")}---\n---\n${crd("b.example.com")}`);
    expect(loaded.map((c) => c.metadata?.name)).toEqual(["a.example.com", "b.example.com"]);
  });
});
