/**
 * `flotilla workflow suspend|resume|terminate|restart|rollback <app> [-n ns] [--kubeconfig
 * file]`, as `vela workflow`: each reads the application, checks the operation makes sense
 * now (operations.ts, rollback.ts), edits its status (or, for rollback, its spec) and prints
 * what it did. The hub's engine acts on the edit at its next reconcile of the application.
 */
import type { Command } from "commander";
import type { CliConfig } from "../config.js";
import { HUB_KUBECONFIG_OPTION, lazyHub } from "../hub-option.js";
import type { Output } from "../output.js";
import type { ApplicationsClient } from "../app/applications.js";
import type { AppRef } from "../app/live-app.js";
import type { WorkflowClient } from "./client.js";
import type { WorkflowOperation } from "./operations.js";

export interface OperateInput {
  readonly op: WorkflowOperation;
  readonly ref: AppRef;
  readonly apps: ApplicationsClient;
  readonly workflow: WorkflowClient;
  readonly io: Output;
}

/**
 * Runs `op` on the application. Restart deletes the context ConfigMap before it removes
 * `status.workflow`: the other order could delete the context of the fresh run the hub has
 * already started, losing its outputs and its record of side effects done.
 */
export async function workflowOperate(input: OperateInput): Promise<void> {
  const { ref } = input;
  const { planOperation } = await import("./operations.js");
  const plan = planOperation(input.op, await input.apps.get(ref));
  if (plan.deleteConfigMap !== undefined) {
    await input.workflow.deleteConfigMap(ref.namespace, plan.deleteConfigMap);
  }
  await input.workflow.patchStatus(ref, plan.patch);
  input.io.out(plan.done);
}

/** One subcommand's work, given the application and the clients. */
type Run = (input: Omit<OperateInput, "op">) => Promise<void>;

/** Restores the spec (and publishVersion) of the newest earlier revision that succeeded. */
export const workflowRollback: Run = async (input) => {
  const { ref } = input;
  const app = await input.apps.get(ref);
  const { planRollback } = await import("./rollback.js");
  const plan = planRollback(app, await input.workflow.listRevisions(ref));
  await input.workflow.patchApplication(ref, plan.patch);
  for (const line of plan.done) input.io.out(line);
};

const descriptions: Record<WorkflowOperation, string> = {
  suspend: "Suspend a running workflow: no step starts until it is resumed.",
  resume: "Resume a suspended workflow (also steps held by a suspend step or deploy auto: false).",
  terminate: "Terminate a workflow: started steps fail, the rest are skipped (if: always runs).",
  restart: "Restart a workflow from its first step with an empty context.",
};

/** Adds `workflow` and its subcommands to `program`. */
export function addWorkflowCommands(program: Command, cli: CliConfig, io: Output): void {
  const group = program
    .command("workflow")
    .description(
      "Operate an application's workflow: suspend, resume, terminate, restart, rollback.",
    );
  const commands: Array<[string, string, Run]> = [
    ...(Object.keys(descriptions) as WorkflowOperation[]).map((op): [string, string, Run] => [
      op,
      descriptions[op],
      (input) => workflowOperate({ ...input, op }),
    ]),
    [
      "rollback",
      "Roll back to the newest earlier revision that succeeded (its spec and publishVersion).",
      workflowRollback,
    ],
  ];
  for (const [name, description, run] of commands) {
    group
      .command(`${name} <app>`)
      .description(description)
      .option("-n, --namespace <ns>", "the namespace", "default")
      .option(...HUB_KUBECONFIG_OPTION)
      .action(async (app: string, flags: { namespace: string; kubeconfig?: string }) => {
        // imported here, when a subcommand runs: building the command tree stays cheap
        const { applicationsClient } = await import("../app/applications.js");
        const { workflowClient } = await import("./client.js");
        const hub = await lazyHub(cli, flags.kubeconfig);
        const ref = { name: app, namespace: flags.namespace };
        const apps = applicationsClient(hub.kc);
        await run({ ref, apps, workflow: workflowClient(hub.kc), io });
      });
  }
}
