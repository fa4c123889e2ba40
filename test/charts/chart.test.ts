/**
 * The charts without a cluster (helm only): strict lint, the schema refusing bad values with
 * the key named, the templates' own checks, golden renders, every values key in the schema,
 * and the READMEs' values tables up to date. Server-side validation of the renders against a
 * real API server is in chart.integration.test.ts.
 *
 * Goldens: test/charts/golden/<name>.yaml are `helm template` outputs with generated
 * certificates masked. After a deliberate chart change, regenerate and review the diff:
 *
 *   UPDATE_GOLDEN=1 npx vitest run --project unit test/charts/chart.test.ts
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { chartDirs, readmeOf, valueRows } from "../../tools/chart-readme.js";
import {
  chartPath,
  helmBinary,
  maskGenerated,
  run,
  template,
  valuesPath,
  type Render,
} from "./helm.js";

// A cold cache builds helm from its Go module first (minutes).
beforeAll(async () => {
  await helmBinary();
}, 600_000);

const lint = async (chart: string, ...args: string[]) =>
  run(await helmBinary(), ["lint", "--strict", chartPath(chart), ...args]);

const agentValues = ["-f", valuesPath("flotilla-agent.yaml")];

describe("helm lint --strict", () => {
  it("passes for the hub chart with its defaults and with every option on", async () => {
    expect((await lint("flotilla")).code).toBe(0);
    const options = await lint("flotilla", "-f", valuesPath("flotilla-options.yaml"));
    expect(options.stdout + options.stderr).not.toMatch(/\[ERROR\]|\[WARNING\]/);
    expect(options.code).toBe(0);
  });

  it("passes for the agent chart with a cluster name and a credential", async () => {
    const result = await lint("flotilla-agent", ...agentValues);
    expect(result.stdout + result.stderr).not.toMatch(/\[ERROR\]|\[WARNING\]/);
    expect(result.code).toBe(0);
  });

  it.each([
    ["flotilla", ["--set", "hub.replicaCount=-1"], "/hub/replicaCount"],
    ["flotilla", ["--set", "hub.stateKeepInterval=5 minutes"], "/hub/stateKeepInterval"],
    ["flotilla", ["--set", "logLevel=verbose"], "/logLevel"],
    ["flotilla", ["--set", "clusterNamespace=other"], "/clusterNamespace"],
    ["flotilla", ["--set", "hub.replicas=2"], "replicas"],
    ["flotilla-agent", ["--set", "hub.existingSecret=s"], "/clusterName"],
    ["flotilla-agent", [...agentValues, "--set", "clusterName=Member_1"], "/clusterName"],
    ["flotilla-agent", [...agentValues, "--set", "clusterName=local"], "/clusterName"],
    ["flotilla-agent", [...agentValues, "--set", "leaseDuration=1500ms"], "/leaseDuration"],
  ])("fails for %s with %j, naming %s", async (chart, args, key) => {
    const result = await lint(chart, ...args);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(key);
  });
});

// helm lint only logs a template's `fail`; `helm template` fails with it.
const render = async (chart: string, ...args: string[]) =>
  run(await helmBinary(), ["template", "t", chartPath(chart), ...args]);

describe("the templates' own checks", () => {
  it("refuse more than one hub replica without leader election", async () => {
    const result = await render("flotilla", "--set", "hub.leaderElection.enabled=false");
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("hub.leaderElection.enabled=false needs hub.replicaCount=1");
    const one = ["--set", "hub.leaderElection.enabled=false", "--set", "hub.replicaCount=1"];
    expect((await render("flotilla", ...one)).code).toBe(0);
  });

  it("refuse an agent without a hub credential, and one with two", async () => {
    const none = await render("flotilla-agent", "--set", "clusterName=member-1");
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain("hub.bootstrapKubeconfig or hub.existingSecret is required");
    const both = await render("flotilla-agent", ...agentValues, "--set", "hub.existingSecret=s");
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain("only one of hub.bootstrapKubeconfig and hub.existingSecret");
    const existing = ["--set", "clusterName=member-1", "--set", "hub.existingSecret=s"];
    expect((await render("flotilla-agent", ...existing)).code).toBe(0);
  });
});

const goldens: Record<string, Render> = {
  flotilla: {
    release: "flotilla",
    chart: "flotilla",
    namespace: "flotilla-system",
    values: "flotilla.yaml",
  },
  "flotilla-options": {
    release: "flotilla",
    chart: "flotilla",
    namespace: "flotilla-system",
    values: "flotilla-options.yaml",
    flags: ["--api-versions", "monitoring.coreos.com/v1"],
  },
  "flotilla-agent": {
    release: "flotilla-agent",
    chart: "flotilla-agent",
    namespace: "vela-system",
    values: "flotilla-agent.yaml",
  },
};

describe("helm template", () => {
  it.each(Object.keys(goldens))("renders %s as its golden file", async (name) => {
    const rendered = maskGenerated(await template(goldens[name]!));
    const file = path.join(import.meta.dirname, "golden", `${name}.yaml`);
    if (process.env.UPDATE_GOLDEN === "1") await writeFile(file, rendered);
    expect(rendered).toBe(await readFile(file, "utf8"));
  });

  it("turns Service env vars off in every pod: they would collide with FLOTILLA_*_METRICS_PORT", async () => {
    for (const name of Object.keys(goldens)) {
      const docs = parseAllDocuments(await template(goldens[name]!)).map(
        (d) => d.toJS() as { kind?: string; spec?: { template?: { spec?: object } } } | null,
      );
      const pods = docs.filter((d) => d?.kind === "Deployment").map((d) => d?.spec?.template?.spec);
      expect(pods.length, name).toBeGreaterThan(0);
      for (const pod of pods) expect(pod, name).toMatchObject({ enableServiceLinks: false });
    }
  });

  it("generates a CA whose certificate is the APIService's caBundle", async () => {
    const rendered = await template(goldens.flotilla!);
    const ca = /^\s*ca\.crt: (\S+)$/m.exec(rendered)?.[1];
    expect(ca).toMatch(/^LS0t/); // base64 of "-----BEGIN"
    expect(/^\s*caBundle: (\S+)$/m.exec(rendered)?.[1]).toBe(ca);
  });
});

/** The schema node of a dotted key, following `$ref`s to `definitions` (pure). */
function schemaAt(schema: Record<string, unknown>, key: string): unknown {
  let node: unknown = schema;
  for (const part of key.split(".")) {
    const resolved = resolveRef(schema, node);
    node = (resolved as { properties?: Record<string, unknown> }).properties?.[part];
    if (node === undefined) return undefined;
  }
  return node;
}

function resolveRef(schema: Record<string, unknown>, node: unknown): unknown {
  const ref = (node as { $ref?: string }).$ref;
  if (ref === undefined) return node;
  const name = ref.replace("#/definitions/", "");
  return (schema.definitions as Record<string, unknown>)[name];
}

describe("values.schema.json", () => {
  it.each(["flotilla", "flotilla-agent"])("of %s covers every values key", async (chart) => {
    const read = (file: string) => readFile(path.join(chartPath(chart), file), "utf8");
    const schema = JSON.parse(await read("values.schema.json")) as Record<string, unknown>;
    const keys = valueRows(await read("values.yaml")).map((r) => r.key);
    expect(keys.filter((key) => schemaAt(schema, key) === undefined)).toEqual([]);
  });
});

describe("chart READMEs", () => {
  it("have the values tables `npm run docs:charts` writes", async () => {
    const charts = await chartDirs();
    expect(charts.map((c) => path.basename(c))).toEqual(["flotilla", "flotilla-agent"]);
    for (const chart of charts) {
      const { current, wanted } = await readmeOf(chart);
      expect(current, `${chart}/README.md is stale: npm run docs:charts`).toBe(wanted);
    }
  });
});
