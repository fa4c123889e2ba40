/**
 * A step's `outputs` once its actions are done (KubeVela semantics): `exportKey` is a dotted
 * field path into the evaluated template (`clusterIP`, `myIP.value`); `valueFrom` is a CUE
 * expression evaluated in the template's own scope (`apply.workload.spec.replicas`,
 * `strings.ToUpper(parameter.name)` with the template's imports). One CUE evaluation for all
 * of them; on failure each is evaluated alone to name the one that fails.
 */
import { CueEvaluationError } from "../../cue/engine.js";
import { isObject } from "../../../core/json.js";
import { label, selector } from "./step-program.js";
import {
  evaluateStep,
  FailureReason,
  StepFailure,
  stepWhere,
  type StepSession,
} from "./step-session.js";

interface OutputSpec {
  readonly name: string;
  readonly valueFrom?: string;
  readonly exportKey?: string;
}

const SCOPE = "$flotillaOutputs";

function specsOf(outputs: readonly unknown[] | undefined): OutputSpec[] {
  return (outputs ?? []).flatMap((o) => {
    if (!isObject(o) || typeof o.name !== "string") return [];
    const valueFrom = typeof o.valueFrom === "string" ? o.valueFrom : undefined;
    const exportKey = typeof o.exportKey === "string" ? o.exportKey : undefined;
    if (valueFrom === undefined && exportKey === undefined) return [];
    return [
      { name: o.name, ...(valueFrom ? { valueFrom } : {}), ...(exportKey ? { exportKey } : {}) },
    ];
  });
}

/** The CUE (inside the template's scope, and the export) for the outputs given. */
function programParts(specs: readonly OutputSpec[]): { scoped: string; select: string } {
  const scoped = specs.map((s, i) =>
    s.valueFrom === undefined ? "" : `${label(String(i))}: ${s.valueFrom}`,
  );
  const select = specs.map((s, i) =>
    s.valueFrom === undefined
      ? `${label(String(i))}: ${selector((s.exportKey ?? "").split("."))}`
      : `${label(String(i))}: ${selector([SCOPE, String(i)])}`,
  );
  return {
    scoped: `${label(SCOPE)}: {\n${scoped.join("\n")}\n}`,
    select: `$outputs: {\n${select.join("\n")}\n}`,
  };
}

function evaluateOutputs(session: StepSession, specs: readonly OutputSpec[]): unknown[] {
  const { scoped, select } = programParts(specs);
  const value = evaluateStep(session, select, scoped).$outputs;
  const values = isObject(value) ? value : {};
  return specs.map((_, i) => values[String(i)]);
}

/** The step's outputs by name, or undefined when it declares none. */
export function resolveOutputs(session: StepSession): Record<string, unknown> | undefined {
  const specs = specsOf(session.ctx.step.outputs);
  if (specs.length === 0) return undefined;
  try {
    const values = evaluateOutputs(session, specs);
    return Object.fromEntries(specs.map((s, i) => [s.name, values[i]]));
  } catch (error) {
    if (!(error instanceof CueEvaluationError)) throw error;
    throw outputFailure(session, specs, error);
  }
}

function outputFailure(
  session: StepSession,
  specs: readonly OutputSpec[],
  error: CueEvaluationError,
): StepFailure {
  for (const spec of specs) {
    try {
      evaluateOutputs(session, [spec]);
    } catch (own) {
      const detail = own instanceof CueEvaluationError ? own.detail : String(own);
      const source =
        spec.valueFrom === undefined
          ? `exportKey "${spec.exportKey ?? ""}"`
          : `valueFrom "${spec.valueFrom}"`;
      return new StepFailure(
        FailureReason.Output,
        `${stepWhere(session)}, output "${spec.name}" (${source}): ${clean(detail)}`,
        { cause: own },
      );
    }
  }
  return new StepFailure(
    FailureReason.Output,
    `${stepWhere(session)}: outputs: ${clean(error.detail)}`,
    {
      cause: error,
    },
  );
}

const clean = (detail: string): string =>
  detail
    .replace(/^cue: marshal error: /, "")
    .replace(/\$outputs\.?"?\d+"?:?\s*/, "")
    .replace(/_t\./g, "")
    .replace(/"?\$flotillaOutputs"?\.?"?\d+"?:?\s*/g, "");
