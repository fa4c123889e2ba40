import { describe, expect, it } from "vitest";
import { cueEngine } from "../cue/engine.js";
import { loadBuiltinDefinitions } from "../oam/load.js";
import type { Definition } from "../oam/types.js";
import { evaluateHealth } from "./health-policy.js";

const deployment = (status: Record<string, unknown>) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", generation: 2 },
  spec: { replicas: 3 },
  status: { observedGeneration: 2, ...status },
});

async function webservice(): Promise<Definition> {
  const defs = await loadBuiltinDefinitions(await cueEngine());
  const found = defs.find((d) => d.kind === "ComponentDefinition" && d.name === "webservice");
  if (found === undefined) throw new Error("no built-in webservice");
  return found;
}

describe("evaluateHealth", () => {
  it("is healthy when all replicas are ready and updated, with the custom message", async () => {
    const health = evaluateHealth({
      engine: await cueEngine(),
      definition: await webservice(),
      live: deployment({ replicas: 3, readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3 }),
    });
    expect(health).toEqual({ healthy: true, message: "Ready:3/3" });
  });

  it("is unhealthy while replicas are not ready", async () => {
    const health = evaluateHealth({
      engine: await cueEngine(),
      definition: await webservice(),
      live: deployment({ replicas: 3, readyReplicas: 1, updatedReplicas: 3 }),
    });
    expect(health.healthy).toBe(false);
    expect(health.message).toBe("Ready:1/3");
  });

  it("reads a v1beta1 definition's own policy and treats an unevaluable one as unhealthy", async () => {
    const definition: Definition = {
      kind: "ComponentDefinition",
      name: "custom",
      source: "test",
      status: { healthPolicy: 'isHealth: context.output.status.phase == "Running"' },
    };
    const engine = await cueEngine();
    expect(
      evaluateHealth({ engine, definition, live: { status: { phase: "Running" } } }).healthy,
    ).toBe(true);
    expect(
      evaluateHealth({ engine, definition, live: { status: { phase: "Pending" } } }).healthy,
    ).toBe(false);
    const missing = evaluateHealth({ engine, definition, live: {} });
    expect(missing.healthy).toBe(false);
    expect(missing.message).toMatch(/^health policy not satisfied: /);
  });

  it("counts a definition without a health policy as healthy", async () => {
    const definition: Definition = { kind: "TraitDefinition", name: "labels", source: "test" };
    expect(evaluateHealth({ engine: await cueEngine(), definition, live: {} })).toEqual({
      healthy: true,
    });
  });
});
