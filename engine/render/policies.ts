/**
 * Validates an application's policies against their PolicyDefinitions (pure given the CUE
 * engine): the type must exist and the properties must satisfy its `parameter` schema.
 * What policies do (placement, overrides, replication) is applied elsewhere.
 */
import type { CueEngine } from "../cue/engine.js";
import type { Application } from "../oam/types.js";
import type { DefinitionSet } from "./definition-set.js";
import { evaluateTemplate } from "./evaluate.js";
import { RenderError } from "./render-error.js";

export function validatePolicies(
  engine: CueEngine,
  definitions: DefinitionSet,
  app: Application,
): void {
  for (const policy of app.spec.policies ?? []) {
    const at = { application: app.metadata.name, policy: policy.name };
    const definition = definitions.get("PolicyDefinition", policy.type);
    if (definition === undefined) {
      const known = definitions.names("PolicyDefinition").join(", ");
      throw new RenderError(at, `unknown policy type "${policy.type}" (known: ${known || "none"})`);
    }
    evaluateTemplate({
      engine,
      definition,
      properties: policy.properties,
      context: { appName: app.metadata.name },
      select: ["parameter"],
      at,
    });
  }
}
