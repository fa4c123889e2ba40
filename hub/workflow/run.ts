/**
 * One reconcile's worth of an application's workflow on the hub. In rounds: deliver what the
 * workflow has released so far (release.ts) and judge it, then `advance` the engine with
 * runners for every step type (native `deploy`, CUE WorkflowStepDefinitions with the hub's
 * actions); when a `deploy` step started or a step applied something in that advance, the
 * next round delivers and judges it at once, so a workflow moves as far as it can in one
 * reconcile. The context (outputs, the engine's counters, the hub's record) is written to its
 * ConfigMap before the caller writes the status, so a crash in between replays at most the
 * last round, never a side effect already recorded.
 */
import type { Clock } from "../../core/controller/clock.js";
import type { Logger } from "../../core/controller/logger.js";
import type { CueEngine } from "../../engine/cue/engine.js";
import type { ServiceStatus } from "../../engine/oam/status.js";
import type { Application } from "../../engine/oam/types.js";
import type { DefinitionSet } from "../../engine/render/definition-set.js";
import type { RenderedObject } from "../../engine/render/render.js";
import { memoIn } from "../../engine/workflow/cue/actions.js";
import { cueStepRunner } from "../../engine/workflow/cue/evaluate-step.js";
import { advance } from "../../engine/workflow/engine.js";
import type { RunnerFor, WorkflowEvent, WorkflowStatus } from "../../engine/workflow/types.js";
import type { ClientFor } from "../dispatch/types.js";
import type { TrackerEntry } from "../tracker/entries.js";
import { serviceKey } from "../status/services.js";
import { hubActions } from "./actions.js";
import type { ComponentSource } from "./component-apply.js";
import { readContext, writeContext, type AppRef } from "./context-store.js";
import { deployRunner, type UnitView } from "./deploy-step.js";
import {
  appliedEntries,
  forgetObject,
  HUB_KEY,
  continuesRun,
  hubRecordOf,
  recordApplied,
  type HubRecord,
  type RunOwner,
} from "./hub-record.js";
import { released, startedDeploySteps } from "./release.js";

/** What one delivery round is asked to do. */
export interface RoundInput {
  /** Objects to dispatch (those of started deploy units). */
  readonly deliver: readonly RenderedObject[];
  /** Objects whose services the status reports (delivered, or applied by steps). */
  readonly report: readonly RenderedObject[];
  /** Tracked besides what is dispatched: what steps applied. */
  readonly extraEntries: readonly TrackerEntry[];
  /** Garbage is collected only once the workflow has succeeded. */
  readonly collectGarbage: boolean;
}

export interface Round {
  readonly errors: ReadonlyArray<{ readonly cluster: string; readonly message: string }>;
  readonly services: readonly ServiceStatus[];
  readonly requeueAfterMs?: number;
  /** Whatever else the caller needs from the round (its delivery), passed through. */
  readonly detail: unknown;
}

export interface RunWorkflowOptions {
  readonly app: Application;
  readonly appRef: AppRef;
  /** The persisted `status.workflow`. */
  readonly previous?: WorkflowStatus;
  readonly revision: string;
  readonly generation: number;
  readonly source: ComponentSource;
  readonly definitions: DefinitionSet;
  readonly cue: CueEngine;
  readonly clientFor: ClientFor;
  readonly clock: Clock;
  readonly log: Logger;
  readonly deliverRound: (input: RoundInput) => Promise<Round>;
}

export interface WorkflowRun {
  readonly status: WorkflowStatus;
  readonly round: Round;
  readonly events: readonly WorkflowEvent[];
  readonly requeueAfterMs?: number;
}

/** Rounds in one reconcile at most (each deploy step and each applying step needs one). */
const MAX_ROUNDS = 8;

function unitView(
  rendered: readonly RenderedObject[],
  delivered: ReadonlySet<string>,
  round: Round,
) {
  return (step: string): UnitView => {
    const mine = rendered.filter((r) => r.unit === step);
    const keys = new Set(mine.map((r) => serviceKey({ component: r.component, ...r.target })));
    const clusters = new Set(mine.map((r) => r.target.cluster));
    return {
      delivered: delivered.has(step),
      errors: round.errors.filter((e) => clusters.has(e.cluster)),
      services: round.services.filter((s) =>
        keys.has(
          serviceKey({
            component: s.name,
            cluster: s.cluster,
            namespace: s.namespace,
            replicaKey: s.replicaKey ?? "",
          }),
        ),
      ),
    };
  };
}

function runners(
  options: RunWorkflowOptions,
  record: HubRecord,
  view: (s: string) => UnitView,
): RunnerFor {
  const actions = hubActions({
    clientFor: options.clientFor,
    source: options.source,
    clock: options.clock,
    log: options.log,
    record: (applied) => recordApplied(record, applied),
    forget: (cluster, object) => forgetObject(record, cluster, object),
  });
  const memo = memoIn(record.memo);
  const deploy = deployRunner(view);
  return (type) => {
    if (type === "deploy") return deploy;
    const definition = options.definitions.get("WorkflowStepDefinition", type);
    if (definition?.cueTemplate === undefined) return undefined;
    return cueStepRunner({
      cue: options.cue,
      template: definition.cueTemplate,
      definitionName: type,
      actions,
      memo,
    });
  };
}

/** The stored context when it belongs to this run (see `continuesRun`), else a fresh `{}`. */
async function loadContext(options: RunWorkflowOptions): Promise<Record<string, unknown>> {
  const stored = await readContext(options.clientFor("local"), options.appRef);
  const owner = runOwner(options);
  return continuesRun(stored, owner, options.previous?.appRevision) ? stored : {};
}

const runOwner = (options: RunWorkflowOptions): RunOwner => ({
  revision: options.revision,
  ...(options.appRef.uid === undefined ? {} : { uid: options.appRef.uid }),
});

interface RunState {
  context: Record<string, unknown>;
  readonly record: HubRecord;
  status?: WorkflowStatus;
  readonly events: WorkflowEvent[];
  requeueAfterMs?: number;
  round?: Round;
}

/** One round: deliver and judge, then advance; true when the next round has work. */
async function oneRound(options: RunWorkflowOptions, state: RunState): Promise<boolean> {
  const { record } = state;
  // Only this revision's run releases anything: after a new revision, a deploy step the
  // previous run finished delivers the new objects when the step runs again, not before.
  const current = state.status?.appRevision === options.revision ? state.status : undefined;
  const deploySteps = startedDeploySteps(current);
  const appliedBefore = JSON.stringify(record.applied);
  const plan = released(options.source.rendered, deploySteps, record.applied);
  const round = await options.deliverRound({
    ...plan,
    extraEntries: appliedEntries(record, options.generation),
    collectGarbage: current?.phase === "succeeded",
  });
  state.round = round;
  const previous = state.status;
  if (previous?.finished === true && previous.appRevision === options.revision) return false;
  const result = await advance({
    app: options.app,
    ...(previous === undefined ? {} : { previous }),
    context: { ...state.context, [HUB_KEY]: record },
    now: new Date(options.clock.now()),
    cue: options.cue,
    runnerFor: runners(options, record, unitView(options.source.rendered, deploySteps, round)),
    revision: options.revision,
  });
  state.status = result.status;
  state.context = { ...result.context, [HUB_KEY]: record };
  state.events.push(...result.events);
  state.requeueAfterMs = result.requeueAfterMs;
  return (
    !sameSet(startedDeploySteps(result.status), deploySteps) ||
    JSON.stringify(record.applied) !== appliedBefore ||
    result.status.phase === "succeeded"
  );
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRun> {
  const loaded = await loadContext(options);
  const state: RunState = {
    context: loaded,
    record: { ...hubRecordOf(loaded), run: runOwner(options) },
    ...(options.previous === undefined ? {} : { status: options.previous }),
    events: [],
  };
  let more = true;
  for (let i = 0; i < MAX_ROUNDS && more; i += 1) more = await oneRound(options, state);
  if (more) state.requeueAfterMs = 0;
  if (JSON.stringify(state.context) !== JSON.stringify(loaded))
    await writeContext(options.clientFor("local"), options.appRef, state.context);
  const { status, round } = state;
  if (status === undefined || round === undefined) throw new Error("workflow ran no round");
  return {
    status,
    round,
    events: state.events,
    ...(state.requeueAfterMs === undefined ? {} : { requeueAfterMs: state.requeueAfterMs }),
  };
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean =>
  a.size === b.size && [...a].every((x) => b.has(x));
