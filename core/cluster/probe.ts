/**
 * Does a cluster answer, and does its credential work? Three calls: GET /version (reachable,
 * TLS trusted), a SelfSubjectReview (who the credential authenticates as), and listing one
 * namespace (the credential may act cluster-wide, as delivery needs). Never throws: the
 * outcome, including which step failed, is data (house style §7).
 */
import {
  AuthenticationV1Api,
  CoreV1Api,
  VersionApi,
  type KubeConfig,
} from "@kubernetes/client-node";
import {
  ForbiddenError,
  UnauthenticatedError,
  UpstreamUnavailableError,
  type FlotillaError,
} from "../errors.js";
import { apiStatusOf, kubeConfigFor, kubeError, withTimeout } from "./kube.js";
import type { ClusterRecord } from "./types.js";

export type ProbeStage = "connect" | "authenticate" | "authorize";

export type ProbeResult =
  | { readonly ok: true; readonly version: string; readonly user?: string }
  | { readonly ok: false; readonly stage: ProbeStage; readonly error: string };

export interface ProbeOptions {
  /** Per-request timeout; default 10 s. */
  readonly timeoutMs?: number;
}

class StageError extends Error {
  readonly stage: ProbeStage;
  constructor(stage: ProbeStage, message: string) {
    super(message);
    this.stage = stage;
  }
}

/** Runs `call`; a failure becomes a StageError: 401 is `authenticate`, else `stage`. */
async function step<T>(stage: ProbeStage, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const status = apiStatusOf(error);
    const message = kubeError(error, what).message;
    throw new StageError(status === 401 ? "authenticate" : stage, message);
  }
}

async function identity(kc: KubeConfig, timeoutMs: number): Promise<string | undefined> {
  const auth = kc.makeApiClient(AuthenticationV1Api);
  const body = { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" };
  try {
    const review = await auth.createSelfSubjectReview({ body }, withTimeout(timeoutMs));
    return review.status?.userInfo?.username;
  } catch (error) {
    // Servers before 1.28 lack the API (404): identity unknown, not a failure.
    if (apiStatusOf(error) === 404) return undefined;
    throw error;
  }
}

/** Probes the API server `kc`'s current context points at, with its credential. */
export async function probeApiServer(
  kc: KubeConfig,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const server = kc.getCurrentCluster()?.server ?? "?";
  try {
    const version = await step("connect", `cannot reach ${server}`, () =>
      kc.makeApiClient(VersionApi).getCode(undefined, withTimeout(timeoutMs)),
    );
    const user = await step("authenticate", `credential check failed at ${server}`, () =>
      identity(kc, timeoutMs),
    );
    const as = user === undefined ? "the credential" : `"${user}"`;
    await step("authorize", `${as} authenticates but cannot list namespaces`, () =>
      kc.makeApiClient(CoreV1Api).listNamespace({ limit: 1 }, withTimeout(timeoutMs)),
    );
    return { ok: true, version: version.gitVersion, ...(user === undefined ? {} : { user }) };
  } catch (error) {
    if (error instanceof StageError) return { ok: false, stage: error.stage, error: error.message };
    return { ok: false, stage: "connect", error: (error as Error).message };
  }
}

/** Probes a registered cluster with its stored endpoint, CA and credential. */
export function probeCluster(
  record: ClusterRecord,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  return probeApiServer(kubeConfigFor(record), options);
}

/** A failed probe as a typed error, for callers that must stop (e.g. `cluster join`). */
export function probeFailure(result: ProbeResult & { ok: false }, prefix: string): FlotillaError {
  const message = `${prefix}: ${result.error}`;
  if (result.stage === "authenticate") return new UnauthenticatedError(message);
  if (result.stage === "authorize") return new ForbiddenError(message);
  return new UpstreamUnavailableError(message);
}
