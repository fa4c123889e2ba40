/**
 * Bad input to `flotilla dry-run`: exit code 1 and one message that names the application,
 * component, trait or definition and the field, with no stack trace unless --debug.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli as run } from "../support/run-cli.js";

const fixtures = path.join(import.meta.dirname, "..", "fixtures");
const bad = path.join(fixtures, "render", "bad");

const cases: Array<{ name: string; args: string[]; message: string }> = [
  {
    name: "unknown component type",
    args: ["-f", path.join(bad, "unknown-component-type.yaml")],
    message:
      'application "shop", component "web": unknown component type "webserver" (known: cron-task, helm,',
  },
  {
    name: "unknown trait type",
    args: ["-f", path.join(bad, "unknown-trait-type.yaml")],
    message:
      'application "shop", component "web", trait "autoscale": unknown trait type "autoscale"',
  },
  {
    name: "missing required parameter",
    args: ["-f", path.join(bad, "missing-parameter.yaml")],
    message:
      'application "shop", component "web" (ComponentDefinition "webservice", field parameter.image): required parameter "image" is missing',
  },
  {
    name: "wrong parameter type",
    args: ["-f", path.join(bad, "wrong-type.yaml")],
    message:
      'application "shop", component "web", trait "scaler" (TraitDefinition "scaler", field parameter.replicas): invalid value "three" for parameter "replicas"',
  },
  {
    name: "unknown parameter of a closed schema",
    args: ["-f", path.join(bad, "closed-schema.yaml"), "-d", path.join(bad, "strict-web.cue")],
    message: '(ComponentDefinition "strict-web", field parameter): field not allowed: replica',
  },
  {
    name: "a trait that does not apply to the workload",
    args: ["-f", path.join(bad, "not-applicable.yaml")],
    message: 'trait "sidecar" does not apply to component type "helm" (workload HelmRelease)',
  },
  {
    name: "a patch that conflicts with the workload",
    args: ["-f", path.join(bad, "conflict.yaml"), "-d", path.join(bad, "pin-image.cue")],
    message:
      'trait "pin-image" (TraitDefinition "pin-image", field patch.spec.template.spec.containers[0].image)',
  },
  {
    name: "a policy property of the wrong type",
    args: ["-f", path.join(bad, "bad-policy.yaml")],
    message:
      'application "shop", policy "where" (PolicyDefinition "topology", field parameter.clusters): invalid value "member-1" for parameter "clusters"',
  },
  {
    name: "a topology that targets no cluster (clusters: [] beside a selector)",
    args: ["-f", path.join(bad, "empty-clusters.yaml")],
    message:
      'application "shop", policy "where" (topology): clusters is an empty list, so it targets no cluster',
  },
  {
    name: "a definition file with a syntax error",
    args: ["-f", path.join(bad, "conflict.yaml"), "-d", path.join(bad, "syntax-error.cue")],
    message: "syntax-error.cue: ",
  },
  {
    name: "the Li Auto seed's apply-base step without its encoding/json import",
    args: [
      "-f",
      path.join(fixtures, "seeds", "seed-li-auto", "application.yaml"),
      "-d",
      path.join(fixtures, "seeds", "seed-li-auto"),
    ],
    message:
      'WorkflowStepDefinition "apply-base" (' +
      path.join(fixtures, "seeds", "seed-li-auto", "workflow-step-definitions.yaml") +
      ' (document 1)): template does not compile: notify.request.body: reference "json" not found (is an import missing? add: import "encoding/json")',
  },
  {
    name: "the talk seed's env-binding app without its log traits",
    args: ["-f", path.join(fixtures, "seeds", "seed-talk", "env-binding-application.yaml")],
    message:
      'application "workflow-demo", component "nginx-server", trait "sls": unknown trait type "sls"',
  },
];

describe("dry-run bad input", () => {
  it.each(cases)("$name", async ({ args, message }) => {
    const result = await run("dry-run", ...args);
    expect(result.code).toBe(1);
    expect(result.out).toBe("");
    expect(result.err).toContain(message);
    expect(result.err.startsWith("error: ")).toBe(true);
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it("prints the stack with --debug", async () => {
    const result = await run(
      "--debug",
      "dry-run",
      "-f",
      path.join(bad, "unknown-component-type.yaml"),
    );
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/\n\s+at /);
  });

  it("rejects an unknown output format", async () => {
    const result = await run(
      "dry-run",
      "-f",
      path.join(bad, "unknown-component-type.yaml"),
      "-o",
      "xml",
    );
    expect(result.code).toBe(1);
    expect(result.err).toBe('error: --output must be yaml or json, got "xml"');
  });

  it("renders the talk seed's env-binding as topology + override and shows the equivalent YAML", async () => {
    const result = await run(
      "dry-run",
      "-f",
      path.join(fixtures, "seeds", "seed-talk", "env-binding-application.yaml"),
      "-d",
      path.join(fixtures, "render", "talk-log-traits.yaml"),
    );
    expect(result.code).toBe(0);
    expect(result.out).toContain("# target: cluster=selector(purpose=prod) namespace=default");
    expect(result.out).toContain("logging.example.com/sls-repo: my-log-repo");
    expect(result.out).not.toContain("elk-index");
    expect(result.err).toContain("note: env-binding is rendered as the topology + override");
    expect(result.err).toContain("clusterLabelSelector:\n        purpose: prod");
  });
});
