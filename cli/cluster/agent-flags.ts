/**
 * The agent flags of `cluster join --agent` and `cluster agent-access` as a plan (pure): the
 * token lifetime, and where the agent's hub kubeconfig goes — a file (`--agent-kubeconfig`),
 * a Secret on the member (`--agent-secret`), or, when neither is asked for, stdout. Mistakes
 * are reported before anything is contacted, naming the flag.
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
}

export interface AgentPlan {
  readonly tokenExpirationSeconds: number;
  /** The hub's address as the agent reaches it, when not the one in the hub kubeconfig. */
  readonly hubServer?: string;
  /** Write the kubeconfig to this file (mode 0600). */
  readonly file?: string;
  /** Store the kubeconfig on the member as the agent's Secret. */
  readonly secret: boolean;
  /** Print the kubeconfig on stdout (then every other line goes to stderr). */
  readonly stdout: boolean;
}

/** The token lifetime flag's default, the installer's, in hours (`24h`); shown in the help. */
export const DEFAULT_AGENT_TOKEN_TTL = `${DEFAULT_TOKEN_EXPIRATION_SECONDS / 3600}h`;

const agentOnlyFlags: ReadonlyArray<[keyof AgentFlags, string]> = [
  ["agentKubeconfig", "--agent-kubeconfig"],
  ["agentSecret", "--agent-secret"],
  ["agentTokenTtl", "--agent-token-ttl"],
  ["agentHubServer", "--agent-hub-server"],
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

/** The plan for `flags`; `InvalidInputError` naming a bad flag. */
export function agentPlan(flags: AgentFlags): AgentPlan {
  const ttl = flags.agentTokenTtl ?? DEFAULT_AGENT_TOKEN_TTL;
  const ms = parseDuration(ttl, "--agent-token-ttl");
  assertTokenLifetime(ms / 1000, `--agent-token-ttl ${ttl}`);
  if (flags.agentKubeconfig === "")
    throw new InvalidInputError("--agent-kubeconfig: the file name is empty");
  const secret = flags.agentSecret === true;
  const hubServer = hubServerOf(flags.agentHubServer);
  return {
    tokenExpirationSeconds: ms / 1000,
    ...(hubServer === undefined ? {} : { hubServer }),
    ...(flags.agentKubeconfig === undefined ? {} : { file: flags.agentKubeconfig }),
    secret,
    stdout: flags.agentKubeconfig === undefined && !secret,
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
