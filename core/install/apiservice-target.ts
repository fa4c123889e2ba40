/**
 * How the gateway's Service reaches it, as a rule (pure): an external name (ExternalName
 * Service) or a selector (ClusterIP Service selecting the gateway's pods), not both, and a
 * target port only with a selector. The installer (apiservice.ts) applies it to its input and
 * `flotilla gateway register` to its flags, before it reads or contacts anything. Kept apart
 * from apiservice.ts, which talks to the hub, so the CLI's flag parsing (loaded for
 * `flotilla --help`) imports no package.
 */
import { InvalidInputError } from "../errors.js";

/** How a message calls the fields of the Service's target: the installer's words or flags. */
export interface TargetNames {
  readonly externalName: string;
  readonly selector: string;
  readonly targetPort: string;
}

const INPUT_NAMES: TargetNames = {
  externalName: "an external name",
  selector: "a selector",
  targetPort: "a target port",
};

/**
 * Checks how the Service reaches the gateway (pure): an external name or a selector, not
 * both, and a target port only with a selector. `InvalidInputError` calling the fields
 * `names`: by default the installer's words; a command line passes its flags, so it can check
 * them before it reads or contacts anything, with the rule the installer applies.
 */
export function assertServiceTarget(
  target: {
    readonly externalName?: unknown;
    readonly selector?: unknown;
    readonly targetPort?: unknown;
  },
  names: TargetNames = INPUT_NAMES,
): void {
  if (target.selector !== undefined && target.externalName !== undefined)
    throw new InvalidInputError(`give ${names.externalName} or ${names.selector}, not both`);
  if (target.selector === undefined && target.targetPort !== undefined)
    throw new InvalidInputError(
      `${names.targetPort} needs ${names.selector} (the pods to forward to)`,
    );
}
