/**
 * `flotilla status <app> [-n ns] [--tree [--detail]] [-o yaml|json]`: an application's state
 * as the hub reports it. Without flags a summary (summary.ts); `-o` prints the status object;
 * `--tree` reads every applied resource where it lives (live.ts) and prints KubeVela's
 * resource tree (tree.ts), with each object's details under `--detail`. The flags are checked
 * before the hub is contacted.
 */
import { stringify } from "yaml";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Clock } from "../../core/controller/clock.js";
import type { AppliedResource } from "../../core/oam/status.js";
import { CliError, type Output } from "../output.js";
import type { ApplicationsClient } from "./applications.js";
import { applyTimeOf, detailOf } from "./detail.js";
import { describeApp, statusView, type AppRef, type LiveApplication } from "./live-app.js";
import { readLiveObjects, type LiveResult } from "./live.js";
import { summaryLines } from "./summary.js";
import { treeLines, type TreeRow } from "./tree.js";

export type StatusMode = "summary" | "tree" | "yaml" | "json";

export interface StatusFlags {
  readonly tree?: boolean;
  readonly detail?: boolean;
  readonly output?: string;
}

/** What to print, from the flags; `CliError` for a combination that makes no sense. */
export function statusMode(flags: StatusFlags): StatusMode {
  if (flags.output !== undefined && flags.output !== "yaml" && flags.output !== "json") {
    throw new CliError(`unknown output format "${flags.output}" (use yaml or json)`);
  }
  if (flags.output !== undefined && flags.tree === true) {
    throw new CliError("--tree and -o cannot be used together");
  }
  if (flags.detail === true && flags.tree !== true) {
    throw new CliError("--detail only works with --tree");
  }
  return flags.output ?? (flags.tree === true ? "tree" : "summary");
}

/** One tree row from an applied resource and what its cluster said about it (pure). */
export function treeRow(ref: AppliedResource, live: LiveResult, now: number): TreeRow {
  const base = {
    cluster: ref.cluster || "local",
    namespace: ref.namespace ?? "-",
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    name: ref.name,
  };
  if (live.state === "found") {
    const object = live.object;
    return {
      ...base,
      status: "updated",
      applyTime: applyTimeOf(object),
      detail: detailOf(object, now),
    };
  }
  const detail = live.reason === undefined ? "" : `Error: ${live.reason}`;
  return { ...base, status: live.state, applyTime: "", detail };
}

export interface StatusInput {
  readonly apps: ApplicationsClient;
  readonly hub: KubeConfig;
  readonly ref: AppRef;
  readonly mode: StatusMode;
  readonly detail: boolean;
  readonly clock: Clock;
  readonly io: Output;
}

/** The lines of the summary or of the status object (pure). */
export function statusLines(app: LiveApplication, mode: Exclude<StatusMode, "tree">): string[] {
  if (mode === "json") return [JSON.stringify(app.status ?? {}, null, 2)];
  if (mode === "yaml") return [stringify(app.status ?? {}).trimEnd()];
  return summaryLines(app, statusView(app));
}

/** The tree's lines, after reading every applied resource where it lives. */
async function treeOf(app: LiveApplication, input: StatusInput): Promise<string[]> {
  const applied = statusView(app).appliedResources;
  if (applied.length === 0) {
    input.io.err(`${describeApp(input.ref)} has no applied resources yet`);
    return [];
  }
  const live = await readLiveObjects(applied, { hub: input.hub });
  const now = input.clock.now();
  const rows = applied.map((ref, i) =>
    treeRow(ref, live[i] ?? { state: "unknown", reason: "not read" }, now),
  );
  return treeLines(rows, { detail: input.detail });
}

export async function appStatus(input: StatusInput): Promise<void> {
  const app = await input.apps.get(input.ref);
  const lines = input.mode === "tree" ? await treeOf(app, input) : statusLines(app, input.mode);
  for (const line of lines) input.io.out(line);
}
