/**
 * `flotilla gateway register` and `unregister`: the gateway's APIService
 * `v1alpha1.cluster.core.oam.dev` on the hub, applied and removed with the installer the local
 * fleet uses (core/install/apiservice.ts). Register reads the CA file, applies the Namespace,
 * Service and APIService, and by default waits until the hub reports the APIService Available;
 * when it does not, the installer's error carries the hub's reason and the name the serving
 * certificate must carry.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { formatLabels } from "../../core/cluster/labels.js";
import { InvalidInputError } from "../../core/errors.js";
import {
  registerApiService,
  serviceRef,
  unregisterApiService,
  waitApiServiceAvailable,
  type ApiServiceInput,
} from "../../core/install/apiservice.js";
import { APISERVICE_NAME } from "../../core/cluster/types.js";
import type { Hub } from "../cluster/hub.js";
import { CliError, type Output } from "../output.js";
import { registerPlan, serviceOf, type RegisterFlags, type ServiceFlags } from "./flags.js";

/** The PEM in `file`; `CliError`/`InvalidInputError` naming the file when it is not one. */
async function readCaBundle(file: string): Promise<string> {
  const absolute = path.resolve(file);
  const pem = await readFile(absolute, "utf8").catch((error: Error) => {
    throw new CliError(`cannot read --ca-file ${absolute}: ${error.message}`);
  });
  if (!pem.includes("-----BEGIN CERTIFICATE-----"))
    throw new InvalidInputError(`--ca-file ${absolute} holds no PEM certificate`);
  return pem;
}

/** `Service vela-system/flotilla-gateway → localhost:9443 (ExternalName)` (pure). */
export function describeService(input: Omit<ApiServiceInput, "caBundlePem">): string {
  const { name, namespace } = serviceRef(input);
  const target =
    input.selector === undefined
      ? `${input.externalName ?? "localhost"}:${input.port} (ExternalName)`
      : `pods ${formatLabels(input.selector)}, port ${input.targetPort ?? input.port} (ClusterIP, port ${input.port})`;
  return `Service ${namespace}/${name} → ${target}`;
}

/** Runs `gateway register`: flags are checked before the CA file and the hub are read. */
export async function gatewayRegister(
  loadHub: () => Promise<Hub>,
  flags: RegisterFlags,
  io: Output,
): Promise<void> {
  const plan = registerPlan(flags);
  const caBundlePem = await readCaBundle(plan.caFile);
  const hub = await loadHub();
  await registerApiService(hub.kc, { ...plan.input, caBundlePem });
  io.out(`APIService ${APISERVICE_NAME} registered: ${describeService(plan.input)}.`);
  if (plan.waitMs === undefined) return;
  io.err(`Waiting until the hub reports APIService ${APISERVICE_NAME} Available…`);
  const { serviceName, namespace } = plan.input;
  await waitApiServiceAvailable(hub.kc, { serviceName, namespace, timeoutMs: plan.waitMs });
  io.out(`APIService ${APISERVICE_NAME} is Available.`);
}

/** Runs `gateway unregister`: removes the APIService and the Service; missing ones are fine. */
export async function gatewayUnregister(
  loadHub: () => Promise<Hub>,
  flags: ServiceFlags,
  io: Output,
): Promise<void> {
  const service = serviceOf(flags);
  const hub = await loadHub();
  await unregisterApiService(hub.kc, service);
  const { name, namespace } = serviceRef(service);
  io.out(`APIService ${APISERVICE_NAME} and Service ${namespace}/${name} removed.`);
}
