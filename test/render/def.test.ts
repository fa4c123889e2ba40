import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli as run } from "../support/run-cli.js";

const seeds = path.join(import.meta.dirname, "..", "fixtures", "seeds");

describe("flotilla def", () => {
  it("renders a .cue definition file as its custom resource", async () => {
    const result = await run(
      "def",
      "render",
      path.join(seeds, "seed-edge-nodepool", "edge-nginx.cue"),
    );
    expect(result.code).toBe(0);
    const resource = parse(result.out) as {
      kind: string;
      metadata: { name: string; namespace: string };
      spec: {
        appliesToWorkloads: string[];
        podDisruptive: boolean;
        schematic: { cue: { template: string } };
      };
    };
    expect(resource.kind).toBe("TraitDefinition");
    expect(resource.metadata).toEqual({ name: "edge-nginx", namespace: "vela-system" });
    expect(resource.spec.appliesToWorkloads).toEqual(["helm"]);
    expect(resource.spec.podDisruptive).toBe(true);
    expect(
      resource.spec.schematic.cue.template.startsWith("patch: {\n\t// +patchStrategy=retainKeys\n"),
    ).toBe(true);
  });

  it("renders a definition whose template has a } inside raw and multi-line strings", async () => {
    const file = path.join(seeds, "..", "cue", "braces-in-strings.cue");
    const result = await run("def", "render", file);
    expect(result.err).toBe("");
    const resource = parse(result.out) as { spec: { schematic: { cue: { template: string } } } };
    const template = resource.spec.schematic.cue.template;
    expect(template).toContain('raw:       #"a " } b"#');
    expect(template).toContain('} in a raw "" multi-line string');
    expect(template).toContain('last: "x"');
    expect(template.trimEnd().endsWith("parameter: {}")).toBe(true);
  });

  it("lists built-in and loaded definitions with their parameters", async () => {
    const result = await run("def", "list", "-d", path.join(seeds, "seed-bizworks"));
    expect(result.code).toBe(0);
    const lines = result.out.split("\n");
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+SOURCE\s+PARAMETERS/);
    expect(lines.find((l) => l.startsWith("webservice "))).toMatch(
      /component\s+builtin\s+.*image\*: string/,
    );
    expect(lines.find((l) => l.startsWith("bizworks-ingress-comp-1-22 "))).toMatch(
      /trait\s+.*bizworks-ingress\.cue\s+route: \[\.\.\.object\]/,
    );
    for (const name of [
      "topology",
      "override",
      "replication",
      "scaler",
      "sidecar",
      "helm",
      "k8s-objects",
    ]) {
      expect(
        lines.some((l) => l.startsWith(`${name} `)),
        name,
      ).toBe(true);
    }
  });
});
