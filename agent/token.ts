/**
 * Token rotation: the hub credential `provisionAgentAccess` hands out is a bound
 * ServiceAccount token that expires (24 h by default). The agent's Role lets it request a new
 * token for its own ServiceAccount, so at 80 % of the token's lifetime (as the kubelet rotates
 * projected tokens) it asks for one with the same lifetime and hands it to its hub client
 * (`setToken`, core/kube/client.ts), in memory. A failed request is retried every minute until the token expires. A
 * hub kubeconfig without a bearer token (certificates, exec plugins) is left alone.
 */
import type { Clock, TimerHandle } from "../core/controller/clock.js";
import { errorText, type Logger } from "../core/controller/logger.js";
import type { KubeClient } from "../core/kube/client.js";
import { tokenPath } from "./names.js";

export interface TokenTimes {
  /** Issued at and expires at, in milliseconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** `iat` and `exp` of a JWT (not verified: the agent only plans its renewal), or undefined. */
export function tokenTimes(token: string): TokenTimes | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      iat?: unknown;
      exp?: unknown;
    };
    if (typeof claims.iat !== "number" || typeof claims.exp !== "number") return undefined;
    if (claims.exp <= claims.iat) return undefined;
    return { issuedAt: claims.iat * 1000, expiresAt: claims.exp * 1000 };
  } catch {
    return undefined;
  }
}

/** When to renew: at 80 % of the lifetime — pure. */
export const renewAt = (times: TokenTimes): number =>
  times.issuedAt + Math.floor((times.expiresAt - times.issuedAt) * 0.8);

export interface TokenRenewerOptions {
  readonly hub: KubeClient;
  readonly cluster: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** Delay between failed attempts; default 60 s. */
  readonly retryMs?: number;
}

/** Starts renewing the hub token in the background; returns `stop`. */
export function startTokenRenewal(options: TokenRenewerOptions): () => void {
  const { hub, clock, log, cluster } = options;
  const path = tokenPath(cluster);
  let timer: TimerHandle;
  let stopped = false;

  const schedule = (at: number): void => {
    if (!stopped) timer = clock.setTimeout(() => void renew(), Math.max(0, at - clock.now()));
  };

  async function renew(): Promise<void> {
    const times = tokenTimes(hub.token() ?? "");
    if (times === undefined) return;
    const expirationSeconds = Math.round((times.expiresAt - times.issuedAt) / 1000);
    try {
      const body = {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { expirationSeconds },
      };
      const request = await hub.json<{ status?: { token?: string } }>({
        method: "POST",
        path,
        body,
        timeoutMs: 30_000,
      });
      const token = request.status?.token ?? "";
      const next = tokenTimes(token);
      if (next === undefined) throw new Error("the hub returned a token without iat/exp");
      hub.setToken(token);
      log.info("hub token renewed", { expiresAt: new Date(next.expiresAt).toISOString() });
      schedule(renewAt(next));
    } catch (error) {
      log.warn("hub token renewal failed; retrying", { error: errorText(error) });
      if (clock.now() < times.expiresAt) schedule(clock.now() + (options.retryMs ?? 60_000));
    }
  }

  const initial = tokenTimes(hub.token() ?? "");
  if (initial !== undefined) schedule(renewAt(initial));
  return () => {
    stopped = true;
    if (timer !== undefined) clock.clearTimeout(timer);
  };
}
