/**
 * Golden tests: `flotilla dry-run` output for the seed fixtures, byte for byte. Run with
 * UPDATE_GOLDEN=1 to rewrite the golden files after an intended change, then review the diff.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dryRun } from "../../cli/dry-run/command.js";

const fixtures = path.join(import.meta.dirname, "..", "fixtures");
const seeds = path.join(fixtures, "seeds");
const render = path.join(fixtures, "render");

interface Controller {
  nodeSelector: Record<string, string>;
  ingressClassResource: { name: string };
  service: unknown;
}

const cases: Array<{ name: string; app: string; definitions: string[]; output?: "json" }> = [
  {
    name: "talk-webservice-ingress",
    app: path.join(seeds, "seed-talk", "webservice-ingress-application.yaml"),
    definitions: [],
  },
  {
    name: "talk-sidecar-v1alpha2",
    app: path.join(render, "talk-sidecar.yaml"),
    definitions: [path.join(seeds, "seed-talk", "sidecar-trait-v1alpha2.yaml")],
  },
  {
    name: "edge-nginx-replication",
    app: path.join(seeds, "seed-edge-nodepool", "application.yaml"),
    definitions: [path.join(seeds, "seed-edge-nodepool", "edge-nginx.cue")],
  },
  {
    name: "edge-gateway-nginx",
    app: path.join(render, "edge-gateway.yaml"),
    definitions: [path.join(seeds, "seed-edge-nodepool", "gateway-nginx.cue")],
  },
  {
    name: "bizworks-two-routes",
    app: path.join(render, "bizworks-two-routes.yaml"),
    definitions: [path.join(seeds, "seed-bizworks", "bizworks-ingress.cue")],
  },
  {
    name: "li-auto",
    app: path.join(render, "li-auto", "application.yaml"),
    definitions: [path.join(render, "li-auto")],
  },
  {
    name: "override-two-steps",
    app: path.join(render, "override-two-steps.yaml"),
    definitions: [],
  },
  {
    name: "edge-nginx-replication-json",
    app: path.join(seeds, "seed-edge-nodepool", "application.yaml"),
    definitions: [path.join(seeds, "seed-edge-nodepool", "edge-nginx.cue")],
    output: "json",
  },
];

async function dryRunText(c: (typeof cases)[number]): Promise<string> {
  const out: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(`stderr: ${l}`) };
  await dryRun({ file: c.app, definitions: c.definitions, output: c.output ?? "yaml" }, io);
  return out.join("\n") + "\n";
}

describe("dry-run golden files", () => {
  it.each(cases)("$name", async (c) => {
    const golden = path.join(render, "golden", `${c.name}.${c.output ?? "yaml"}`);
    const actual = await dryRunText(c);
    if (process.env.UPDATE_GOLDEN === "1") await writeFile(golden, actual);
    expect(existsSync(golden), `${golden} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
    expect(actual).toBe(await readFile(golden, "utf8"));
  });

  it("gives each edge pool its own HelmRelease with the pool's selector and ingress class", async () => {
    const c = cases.find((x) => x.name === "edge-nginx-replication-json");
    if (c === undefined) throw new Error("no json case");
    const rendered = JSON.parse(await dryRunText(c)) as Array<{
      target: { replicaKey: string };
      object: {
        kind: string;
        metadata: { name: string };
        spec: { values?: { controller: Controller } };
      };
    }>;
    const releases = rendered.filter((r) => r.object.kind === "HelmRelease");
    expect(releases.map((r) => r.object.metadata.name)).toEqual([
      "ingress-nginx-beijing",
      "ingress-nginx-shanghai",
    ]);
    for (const r of releases) {
      const pool = r.target.replicaKey;
      const controller = r.object.spec.values?.controller;
      if (controller === undefined) throw new Error("no controller values");
      expect(controller.nodeSelector).toEqual({ "apps.openyurt.io/nodepool": pool });
      expect(controller.ingressClassResource.name).toBe(`nginx-${pool}`);
      expect(controller.service).toEqual({ type: "NodePort" });
    }
    expect(rendered.filter((r) => r.object.kind === "HelmRepository")).toHaveLength(1);
  });

  it("is deterministic: the same input renders the same bytes twice", async () => {
    const c = cases[2];
    if (c === undefined) throw new Error("no edge case");
    expect(await dryRunText(c)).toBe(await dryRunText(c));
  });
});
