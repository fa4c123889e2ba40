/**
 * `flotilla gateway register|unregister` flags as a plan (pure): the Service the hub reaches
 * the gateway through (ExternalName, or ClusterIP selecting the gateway's pods), its port,
 * the CA file and the wait. Every mistake names its flag and is found before anything is read
 * or contacted.
 */
import { isDnsLabel, parseLabels, subdomainProblem } from "../../core/cluster/labels.js";
import { InvalidInputError } from "../../core/errors.js";
import type { ApiServiceInput } from "../../core/install/apiservice.js";
import { assertServiceTarget, type TargetNames } from "../../core/install/apiservice-target.js";
import { parseDuration } from "../app/time.js";

export interface RegisterFlags {
  readonly port: string;
  readonly caFile: string;
  readonly externalName?: string;
  readonly selector?: string;
  readonly targetPort?: string;
  readonly serviceName?: string;
  readonly namespace?: string;
  readonly wait?: boolean;
  readonly timeout?: string;
}

export type ServiceFlags = Pick<Partial<RegisterFlags>, "serviceName" | "namespace">;

export interface RegisterPlan {
  /** The registration without its CA bundle (read from `caFile` when the command runs). */
  readonly input: Omit<ApiServiceInput, "caBundlePem">;
  readonly caFile: string;
  /** How long to wait for `Available`; undefined: do not wait (`--no-wait`). */
  readonly waitMs?: number;
}

export const DEFAULT_WAIT = "60s";

function portOf(flag: string, text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : 0;
  if (port < 1 || port > 65535)
    throw new InvalidInputError(`${flag} "${text}": a port is a number from 1 to 65535`);
  return port;
}

function checkName(flag: string, value: string, firstLetter: boolean): void {
  const ok = isDnsLabel(value) && (!firstLetter || /^[a-z]/.test(value));
  if (!ok) {
    const start = firstLetter ? "a letter" : "a letter or digit";
    throw new InvalidInputError(
      `${flag} "${value}": use at most 63 lower-case letters, digits and '-', starting with ` +
        `${start} and ending with a letter or digit`,
    );
  }
}

/** The Service name and namespace flags, checked (shared by register and unregister). */
export function serviceOf(flags: ServiceFlags): Pick<ApiServiceInput, "serviceName" | "namespace"> {
  if (flags.serviceName !== undefined) checkName("--service-name", flags.serviceName, true);
  if (flags.namespace !== undefined) checkName("--namespace", flags.namespace, false);
  return {
    ...(flags.serviceName === undefined ? {} : { serviceName: flags.serviceName }),
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
  };
}

const targetFlags: TargetNames = {
  externalName: "--external-name",
  selector: "--selector",
  targetPort: "--target-port",
};

/**
 * Where the Service sends the hub: an external name, or the pods a selector picks. The
 * installer's rule for combining them is checked here already, naming the flags.
 */
function targetOf(flags: RegisterFlags): Partial<ApiServiceInput> {
  assertServiceTarget(flags, targetFlags);
  if (flags.selector !== undefined) {
    const selector = parseLabels(flags.selector);
    const target =
      flags.targetPort === undefined
        ? {}
        : { targetPort: portOf("--target-port", flags.targetPort) };
    return { selector, ...target };
  }
  if (flags.externalName === undefined) return {};
  const problem = subdomainProblem(flags.externalName);
  if (problem !== undefined)
    throw new InvalidInputError(`--external-name "${flags.externalName}": ${problem}`);
  return { externalName: flags.externalName };
}

/** The plan for `gateway register`; `InvalidInputError` naming the first bad flag. */
export function registerPlan(flags: RegisterFlags): RegisterPlan {
  if (flags.port === undefined)
    throw new InvalidInputError("--port is required: the gateway's port");
  if (flags.caFile === undefined || flags.caFile === "")
    throw new InvalidInputError(
      "--ca-file is required: the CA of the gateway's serving certificate",
    );
  const input = { port: portOf("--port", flags.port), ...targetOf(flags), ...serviceOf(flags) };
  const waitMs = flags.wait === false ? undefined : parseDuration(flags.timeout ?? DEFAULT_WAIT);
  return { input, caFile: flags.caFile, ...(waitMs === undefined ? {} : { waitMs }) };
}
