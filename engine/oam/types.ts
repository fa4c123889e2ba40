/**
 * The Open Application Model resources Flotilla reads, with KubeVela's field names
 * (`core.oam.dev/v1beta1`), so existing Applications and definitions work unchanged.
 */

import type { JsonObject } from "../../core/json.js";

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface ApplicationTrait {
  type: string;
  properties?: JsonObject;
}

export interface ApplicationComponent {
  name: string;
  type: string;
  properties?: JsonObject;
  traits?: ApplicationTrait[];
  dependsOn?: string[];
  inputs?: unknown[];
  outputs?: unknown[];
  externalRevision?: string;
}

export interface ApplicationPolicy {
  name: string;
  type: string;
  properties?: JsonObject;
}

export interface WorkflowStep {
  name: string;
  type: string;
  properties?: JsonObject;
  dependsOn?: string[];
  if?: string;
  timeout?: string;
  inputs?: unknown[];
  outputs?: unknown[];
  subSteps?: WorkflowStep[];
  meta?: { alias?: string };
}

export interface Application {
  apiVersion: string;
  kind: "Application";
  metadata: ObjectMeta;
  spec: {
    components: ApplicationComponent[];
    policies?: ApplicationPolicy[];
    workflow?: { steps?: WorkflowStep[]; mode?: { steps?: string; subSteps?: string } };
  };
}

export type DefinitionKind =
  "ComponentDefinition" | "TraitDefinition" | "PolicyDefinition" | "WorkflowStepDefinition";

/** KubeVela's `kube` schematic: a fixed object with parameters mapped onto field paths. */
export interface KubeSchematic {
  template: JsonObject;
  parameters?: Array<{
    name: string;
    required?: boolean;
    type?: "string" | "number" | "boolean";
    fieldPaths: string[];
    description?: string;
  }>;
}

/** A definition as Flotilla uses it, whatever format it came from. */
export interface Definition {
  kind: DefinitionKind;
  name: string;
  namespace?: string;
  description?: string;
  /** CUE template body (`spec.schematic.cue.template` or a `.cue` file's `template: {…}`). */
  cueTemplate?: string;
  kube?: KubeSchematic;
  /** `spec.workload` of a ComponentDefinition (the workload's apiVersion/kind or a type). */
  workload?: { definition?: { apiVersion: string; kind: string }; type?: string };
  appliesToWorkloads?: string[];
  conflictsWith?: string[];
  podDisruptive?: boolean;
  status?: { healthPolicy?: string; customStatus?: string };
  /** Where it was loaded from (file path, `builtin:<file>` or `cluster:<ns>/<name>`). */
  source: string;
}
