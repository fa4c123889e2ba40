import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseManifests } from "../oam/manifests.js";
import type { Application } from "../oam/types.js";
import { convertEnvBinding, usesEnvBinding } from "./env-binding.js";
import { componentTargets } from "./targets.js";

const seed = path.join(
  import.meta.dirname,
  "..",
  "..",
  "test",
  "fixtures",
  "seeds",
  "seed-talk",
  "env-binding-application.yaml",
);

async function talkApp(): Promise<Application> {
  const file = await readFile(seed, "utf8");
  const app = parseManifests(file, seed).applications[0];
  if (app === undefined) throw new Error("no application in the talk seed");
  return app;
}

describe("env-binding conversion", () => {
  it("rewrites the talk seed's envs as topology + override and its deploy2cluster step as deploy", async () => {
    const app = await talkApp();
    expect(usesEnvBinding(app)).toBe(true);
    const converted = convertEnvBinding(app);
    expect(usesEnvBinding(converted)).toBe(false);
    expect(converted.spec.policies).toEqual([
      {
        name: "patch-prod",
        type: "topology",
        properties: { clusterLabelSelector: { purpose: "prod" } },
      },
      {
        name: "patch-prod-nginx-server-override",
        type: "override",
        properties: {
          components: [{ traits: [{ type: "sls", properties: { repo: "my-log-repo" } }] }],
          selector: ["nginx-server"],
        },
      },
    ]);
    const steps = converted.spec.workflow?.steps ?? [];
    expect(steps.map((s) => s.type)).toEqual(["initializer", "deploy"]);
    expect(steps[1]?.properties).toEqual({
      policies: ["patch-prod", "patch-prod-nginx-server-override"],
    });
    expect(app.spec.policies?.[0]?.type).toBe("env-binding"); // input untouched
  });

  it("deploys every env when there is no workflow, with names, namespaces and selectors", () => {
    const app: Application = {
      apiVersion: "core.oam.dev/v1beta1",
      kind: "Application",
      metadata: { name: "a", namespace: "apps" },
      spec: {
        components: [
          { name: "web", type: "webservice", properties: { image: "nginx" } },
          { name: "db", type: "helm" },
        ],
        policies: [
          {
            name: "envs",
            type: "env-binding",
            properties: {
              envs: [
                {
                  name: "staging",
                  placement: {
                    clusterSelector: { name: "member-1" },
                    namespaceSelector: { name: "stage" },
                  },
                  selector: { components: ["web"] },
                },
                {
                  name: "prod",
                  placement: { clusterSelector: { name: "member-2" } },
                  patch: { components: [{ name: "web", properties: { image: "nginx:1.20" } }] },
                },
              ],
            },
          },
        ],
      },
    };
    const targets = componentTargets(convertEnvBinding(app));
    expect(
      targets.map(
        (t) =>
          `${t.component}@${t.target.cluster}/${t.target.namespace}:${String(t.spec.properties?.image)}`,
      ),
    ).toEqual([
      "web@member-1/stage:nginx",
      "web@member-2/apps:nginx:1.20",
      "db@member-2/apps:undefined",
    ]);
  });

  it("leaves applications without env-binding as they are", () => {
    const app: Application = {
      apiVersion: "core.oam.dev/v1beta1",
      kind: "Application",
      metadata: { name: "a" },
      spec: { components: [] },
    };
    expect(convertEnvBinding(app)).toBe(app);
  });
});
