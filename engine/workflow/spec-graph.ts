/**
 * The ordering checks of a workflow plan (pure): `dependsOn` names siblings that exist, every
 * input has a producer, and the order the steps wait for each other can be satisfied — no
 * cycles in DAG mode, no step waiting on a later one in StepByStep mode (it would wait
 * forever). An input's producer counts as a dependency between the two steps, taken at the
 * level they share (a sub-step's producer outside its group makes the group wait).
 */
import type { PlannedStep, WorkflowMode } from "./spec.js";

interface GraphInput {
  readonly steps: readonly PlannedStep[];
  readonly mode: { readonly steps: WorkflowMode; readonly subSteps: WorkflowMode };
  readonly byName: ReadonlyMap<string, PlannedStep>;
  readonly producers: ReadonlyMap<string, readonly string[]>;
  /** Output names produced outside the workflow's steps (component outputs). */
  readonly external: ReadonlySet<string>;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly why: string;
}

interface Level {
  readonly mode: WorkflowMode;
  readonly order: ReadonlyMap<string, number>;
  readonly edges: Edge[];
}

function levels(input: GraphInput): Map<string, Level> {
  const result = new Map<string, Level>();
  const add = (key: string, steps: readonly PlannedStep[], mode: WorkflowMode): void => {
    result.set(key, { mode, order: new Map(steps.map((s, i) => [s.name, i])), edges: [] });
  };
  add("", input.steps, input.mode.steps);
  for (const group of input.steps) add(group.name, group.subSteps, input.mode.subSteps);
  return result;
}

const everyStep = (input: GraphInput): PlannedStep[] =>
  input.steps.flatMap((s) => [s, ...s.subSteps]);

function checkDependsOn(input: GraphInput, all: Map<string, Level>, problems: string[]): void {
  for (const step of everyStep(input)) {
    const level = all.get(step.parent ?? "");
    for (const dep of step.dependsOn) {
      const where = `step "${step.name}" field "dependsOn"`;
      if (dep === step.name) problems.push(`${where}: the step depends on itself`);
      else if (level?.order.has(dep) === true)
        level.edges.push({ from: dep, to: step.name, why: "dependsOn" });
      else if (input.byName.has(dep))
        problems.push(
          `${where}: "${dep}" is not at the same level (dependsOn names sibling steps)`,
        );
      else problems.push(`${where}: step "${dep}" does not exist`);
    }
  }
}

/** The two steps (or their groups) at the level both belong to. */
function shared(
  producer: PlannedStep,
  consumer: PlannedStep,
): { level: string; from: string; to: string } {
  if (producer.parent !== undefined && producer.parent === consumer.parent)
    return { level: producer.parent, from: producer.name, to: consumer.name };
  return {
    level: "",
    from: producer.parent ?? producer.name,
    to: consumer.parent ?? consumer.name,
  };
}

function producersOf(input: GraphInput, from: string): readonly string[] | undefined {
  return input.producers.get(from) ?? input.producers.get(from.split(".")[0] ?? from);
}

function checkInput(
  input: GraphInput,
  all: Map<string, Level>,
  consumer: { step: PlannedStep; from: string },
  problems: string[],
): void {
  const { step, from } = consumer;
  const where = `step "${step.name}" field "inputs": "${from}"`;
  const producers = producersOf(input, from);
  if (producers === undefined) {
    if (!input.external.has(from.split(".")[0] ?? from))
      problems.push(`${where} is not an output of any step or component`);
    return;
  }
  for (const name of producers) {
    const producer = input.byName.get(name);
    if (producer === undefined) continue;
    const edge = shared(producer, step);
    if (edge.from === edge.to)
      problems.push(`${where} comes from step "${name}", which cannot finish before it starts`);
    else all.get(edge.level)?.edges.push({ ...edge, why: `input "${from}"` });
  }
}

function checkInputs(input: GraphInput, all: Map<string, Level>, problems: string[]): void {
  for (const step of everyStep(input)) {
    for (const { from } of step.inputs) checkInput(input, all, { step, from }, problems);
  }
}

function checkOrder(level: Level, problems: string[]): void {
  for (const edge of level.edges) {
    if ((level.order.get(edge.from) ?? 0) > (level.order.get(edge.to) ?? 0)) {
      problems.push(
        `step "${edge.to}" waits for step "${edge.from}" (${edge.why}), which runs after it in StepByStep mode`,
      );
    }
  }
}

function findCycle(level: Level): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const e of level.edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "open") return [...path.slice(path.indexOf(name)), name];
    state.set(name, "open");
    path.push(name);
    for (const to of next.get(name) ?? []) {
      const cycle = visit(to);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const name of level.order.keys()) {
    const cycle = visit(name);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

/** Appends the plan's ordering problems to `problems`. */
export function checkGraph(input: GraphInput, problems: string[]): void {
  const all = levels(input);
  checkDependsOn(input, all, problems);
  checkInputs(input, all, problems);
  for (const [key, level] of all) {
    if (level.mode === "StepByStep") {
      checkOrder(level, problems);
      continue;
    }
    const cycle = findCycle(level);
    const where = key === "" ? "steps" : `subSteps of step "${key}"`;
    if (cycle !== undefined) {
      const chain = [...cycle].reverse().join(" → ");
      problems.push(`${where}: dependency cycle ${chain} (each waits for the next)`);
    }
  }
}
