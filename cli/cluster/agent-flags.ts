/**
 * The agent flags of `cluster join --agent` and `cluster agent-access` as a plan (pure). Two
 * credentials can be handed out (docs/adr/0017-agent-credential.md):
 *
 * - the bootstrap kubeconfig (long-lived, may only mint the agent's working tokens; the agent
 *   runs with `--hub-bootstrap-kubeconfig`): stored on the member as a Secret
 *   (`--agent-secret`) and/or written as the agent chart's Helm values (`--agent-values`,
 *   `-` for stdout);
 * - a hub kubeconfig with a working token (`--agent-token-ttl`; the agent runs with
 *   `--hub-kubeconfig`): to a file (`--agent-kubeconfig`), or to stdout when nothing else is
 *   asked for.
 *
 * Mistakes are reported before anything is contacted, naming the flag.
 */
import { InvalidInputError } from "../../core/errors.js";
import {
  assertTokenLifetime,
  DEFAULT_TOKEN_EXPIRATION_SECONDS,
} from "../../core/install/agent-objects.js";
import { parseDuration } from "../app/time.js";

export interface AgentFlags {
  /** `cluster join` only: also give the member's agent its hub access. */
  readonly agent?: boolean;
  readonly agentKubeconfig?: string;
  readonly agentSecret?: boolean;
  readonly agentTokenTtl?: string;
  readonly agentHubServer?: string;
  readonly agentValues?: string;
}

export interface AgentPlan {
  readonly tokenExpirationSeconds: number;
  /** The hub's address as the agent reaches it, when not the one in the hub kubeconfig. */
  readonly hubServer?: string;
  /** Write the kubeconfig to this file (mode 0600). */
  readonly file?: string;
  /** Store the bootstrap kubeconfig on the member as the Secret `AGENT_BOOTSTRAP_SECRET`. */
  readonly secret: boolean;
  /** Write the agent chart's Helm values (with the bootstrap kubeconfig) here; `-`: stdout. */
  readonly values?: string;
  /** Print the working kubeconfig on stdout (then every other line goes to stderr). */
  readonly stdout: boolean;
}

/** Whether `plan` hands out the bootstrap kubeconfig (Secret or chart values). */
export const wantsBootstrap = (plan: AgentPlan): boolean =>
  plan.secret || plan.values !== undefined;
/** Whether `plan` hands out a hub kubeconfig with a working token (file or stdout). */
export const wantsWorkingToken = (plan: AgentPlan): boolean =>
  plan.stdout || plan.file !== undefined;
/** Whether stdout carries a credential (then status lines go to stderr). */
export const stdoutTaken = (plan: AgentPlan): boolean => plan.stdout || plan.values === "-";

/** The token lifetime flag's default, the installer's, in hours (`24h`); shown in the help. */
export const DEFAULT_AGENT_TOKEN_TTL = `${DEFAULT_TOKEN_EXPIRATION_SECONDS / 3600}h`;

const agentOnlyFlags: ReadonlyArray<[keyof AgentFlags, string]> = [
  ["agentKubeconfig", "--agent-kubeconfig"],
  ["agentSecret", "--agent-secret"],
  ["agentTokenTtl", "--agent-token-ttl"],
  ["agentHubServer", "--agent-hub-server"],
  ["agentValues", "--agent-values"],
];

/** `--agent-hub-server`: an https URL with a host, or absent. */
function hubServerOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== "https:" || url.hostname === "")
    throw new InvalidInputError(
      `--agent-hub-server: must be an https URL such as https://hub.example:6443, got "${value}"`,
    );
  return value;
}

function refuseEmptyFileNames(flags: AgentFlags): void {
  if (flags.agentKubeconfig === "")
    throw new InvalidInputError("--agent-kubeconfig: the file name is empty");
  if (flags.agentValues === "")
    throw new InvalidInputError("--agent-values: the file name is empty (- for stdout)");
}

/** The plan for `flags`; `InvalidInputError` naming a bad flag. */
export function agentPlan(flags: AgentFlags): AgentPlan {
  const ttl = flags.agentTokenTtl ?? DEFAULT_AGENT_TOKEN_TTL;
  const ms = parseDuration(ttl, "--agent-token-ttl");
  assertTokenLifetime(ms / 1000, `--agent-token-ttl ${ttl}`);
  refuseEmptyFileNames(flags);
  const secret = flags.agentSecret === true;
  const hubServer = hubServerOf(flags.agentHubServer);
  const stdout = flags.agentKubeconfig === undefined && !secret && flags.agentValues === undefined;
  if (flags.agentTokenTtl !== undefined && flags.agentKubeconfig === undefined && !stdout)
    throw new InvalidInputError(
      "--agent-token-ttl: only the kubeconfig of --agent-kubeconfig (or stdout) holds a token " +
        "with a lifetime; with --agent-secret or --agent-values the agent mints its own " +
        "(its --hub-token-lifetime)",
    );
  return {
    tokenExpirationSeconds: ms / 1000,
    ...(hubServer === undefined ? {} : { hubServer }),
    ...(flags.agentKubeconfig === undefined ? {} : { file: flags.agentKubeconfig }),
    secret,
    ...(flags.agentValues === undefined ? {} : { values: flags.agentValues }),
    stdout,
  };
}

/**
 * `cluster join`'s plan: undefined without `--agent`; an agent flag without `--agent` is an
 * `InvalidInputError` (it would otherwise be ignored silently).
 */
export function joinAgentPlan(flags: AgentFlags): AgentPlan | undefined {
  if (flags.agent === true) return agentPlan(flags);
  const given = agentOnlyFlags.find(([key]) => flags[key] !== undefined);
  if (given !== undefined) throw new InvalidInputError(`${given[1]} needs --agent`);
  return undefined;
}
