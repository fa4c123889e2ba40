/**
 * `flotilla workflow suspend|resume|terminate|restart <app> [-n ns] [--kubeconfig file]`, as
 * `vela workflow`: each reads the application, checks the operation makes sense now
 * (operations.ts), edits its status and prints one line. The hub's engine acts on the edit
 * at its next reconcile of the application (within the hub's health-poll interval while the
 * workflow runs). `rollback` is not offered yet: it needs application revisions.
 */
import type { Command } from "commander";
import { loadHub } from "../cluster/hub.js";
import type { CliConfig } from "../config.js";
import type { Output } from "../output.js";
import { applicationsClient, type ApplicationsClient } from "../app/applications.js";
import type { AppRef } from "../app/live-app.js";
import { workflowClient, type WorkflowClient } from "./client.js";
import { planOperation, type WorkflowOperation } from "./operations.js";

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
  const plan = planOperation(input.op, await input.apps.get(ref));
  if (plan.deleteConfigMap !== undefined) {
    await input.workflow.deleteConfigMap(ref.namespace, plan.deleteConfigMap);
  }
  await input.workflow.patchStatus(ref, plan.patch);
  input.io.out(plan.done);
}

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
    .description("Operate an application's workflow: suspend, resume, terminate, restart.");
  for (const op of Object.keys(descriptions) as WorkflowOperation[]) {
    group
      .command(`${op} <app>`)
      .description(descriptions[op])
      .option("-n, --namespace <ns>", "the namespace", "default")
      .option(
        "--kubeconfig <file>",
        "the hub's kubeconfig (default: KUBECONFIG, the local fleet's hub, ~/.kube/config)",
      )
      .action(async (name: string, flags: { namespace: string; kubeconfig?: string }) => {
        const hub = await loadHub(cli, flags.kubeconfig);
        const ref = { name, namespace: flags.namespace };
        const apps = applicationsClient(hub.kc);
        await workflowOperate({ op, ref, apps, workflow: workflowClient(hub.kc), io });
      });
  }
}
