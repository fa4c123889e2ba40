/**
 * The agent's working hub token, minted with its bootstrap credential
 * (`--hub-bootstrap-kubeconfig`, docs/adr/0017-agent-credential.md): `startHubCredential`
 * mints at once, again at 80 % of each token's lifetime, and at once when the hub answers 401
 * (`mint-plan.ts` decides when), keeping the token in memory only. `withHubCredential` wraps
 * the hub client so that every request waits for a usable token and a 401 for the current
 * token is retried once with a fresh one; the agent's loops need not know.
 */
import type { Clock, TimerHandle } from "../core/controller/clock.js";
import { errorText, type Logger } from "../core/controller/logger.js";
import { UpstreamUnavailableError } from "../core/errors.js";
import type { KubeClient, KubeRequest } from "../core/kube/client.js";
import { kubeStatusOf } from "../core/kube/status.js";
import {
  attempted,
  hasUsableToken,
  initialMintState,
  minted,
  mintFailed,
  nextMintAt,
  unauthorized,
  type MintState,
} from "./mint-plan.js";
import { tokenPath } from "./names.js";
import { tokenTimes } from "./token.js";

/** Requests a working token of `expirationSeconds` from the hub (the bootstrap credential). */
export type RequestToken = (expirationSeconds: number) => Promise<string>;

export interface HubCredentialOptions {
  readonly requestToken: RequestToken;
  /** Lifetime asked for each working token (ms, whole seconds, at least 10 min). */
  readonly lifetimeMs: number;
  /** Receives each new token (the hub client's `setToken`). */
  readonly onToken: (token: string) => void;
  readonly clock: Clock;
  readonly log: Logger;
}

export interface HubCredential {
  /** The token in use, if any. */
  token(): string | undefined;
  /**
   * Resolves once a usable token is held: at once, or after the mint that is due now (or in
   * flight). `UpstreamUnavailableError` when none can be had yet (the next attempt is later).
   */
  ready(): Promise<void>;
  /** The hub refused `sentToken` (401); resolves true when a different usable token is held. */
  refused(sentToken: string | undefined): Promise<boolean>;
  stop(): void;
}

/** The TokenRequest for the agent's working ServiceAccount, sent with `bootstrap`. */
export function tokenRequester(bootstrap: KubeClient, cluster: string): RequestToken {
  return async (expirationSeconds) => {
    const answer = await bootstrap.json<{ status?: { token?: string } }>({
      method: "POST",
      path: tokenPath(cluster),
      body: {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { expirationSeconds },
      },
      timeoutMs: 30_000,
    });
    const token = answer.status?.token;
    if (token === undefined || token === "")
      throw new UpstreamUnavailableError(`hub ${tokenPath(cluster)}: the answer has no token`);
    return token;
  };
}

/** The minting loop behind `startHubCredential`; its state changes only through mint-plan.ts. */
class MintingCredential implements HubCredential {
  readonly #options: HubCredentialOptions;
  #state: MintState = initialMintState;
  #inFlight: Promise<void> | undefined;
  #lastError: string | undefined;
  #timer: TimerHandle;
  #stopped = false;

  constructor(options: HubCredentialOptions) {
    this.#options = options;
  }

  token(): string | undefined {
    return this.#state.token;
  }

  async ready(): Promise<void> {
    const { clock } = this.#options;
    if (hasUsableToken(this.#state, clock.now())) return;
    if (this.#inFlight !== undefined) await this.#inFlight;
    else if (nextMintAt(this.#state, clock.now()) <= clock.now()) await this.mint();
    if (hasUsableToken(this.#state, clock.now())) return;
    const at = new Date(nextMintAt(this.#state, clock.now())).toISOString();
    throw new UpstreamUnavailableError(
      `hub: no working token yet (last attempt: ${this.#lastError ?? "none"}); next attempt at ${at}`,
    );
  }

  async refused(sentToken: string | undefined): Promise<boolean> {
    const before = this.#state.token;
    this.#state = unauthorized(this.#state, sentToken);
    if (this.#state.token !== before) {
      this.#options.log.warn(
        "the hub refused the working token (expired or revoked); minting anew",
      );
      this.#schedule();
    }
    try {
      await this.ready();
    } catch {
      return false;
    }
    return this.#state.token !== sentToken;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
  }

  /** Mints now, or joins the mint in flight. */
  mint(): Promise<void> {
    this.#inFlight ??= this.#attempt().finally(() => {
      this.#inFlight = undefined;
      this.#schedule();
    });
    return this.#inFlight;
  }

  #schedule(): void {
    const { clock } = this.#options;
    if (this.#stopped) return;
    if (this.#timer !== undefined) clock.clearTimeout(this.#timer);
    const delay = nextMintAt(this.#state, clock.now()) - clock.now();
    this.#timer = clock.setTimeout(() => void this.mint(), Math.max(0, delay));
  }

  async #attempt(): Promise<void> {
    const { clock, log, lifetimeMs } = this.#options;
    const now = clock.now();
    this.#state = attempted(this.#state, now);
    try {
      const token = await this.#options.requestToken(Math.round(lifetimeMs / 1000));
      const times = tokenTimes(token) ?? { issuedAt: now, expiresAt: now + lifetimeMs };
      if (this.#stopped) return;
      this.#state = minted(this.#state, token, times);
      this.#lastError = undefined;
      this.#options.onToken(token);
      const expiresAt = new Date(times.expiresAt).toISOString();
      log.info("hub token minted with the bootstrap credential", { expiresAt });
    } catch (error) {
      this.#state = mintFailed(this.#state);
      this.#lastError = errorText(error);
      const status = kubeStatusOf(error);
      const refused = status === 401 || status === 403;
      log.warn("minting a hub token failed; retrying", {
        error: this.#lastError,
        failures: this.#state.failures,
        ...(refused ? { hint: "the hub refuses the bootstrap credential: revoked?" } : {}),
      });
    }
  }
}

/** Starts minting working tokens (the first one at once); returns the credential. */
export function startHubCredential(options: HubCredentialOptions): HubCredential {
  const credential = new MintingCredential(options);
  void credential.mint();
  return credential;
}

/**
 * The hub client with `credential`'s token: each request waits for a usable token, and a 401
 * answer for the token it was sent with is retried once after `credential.refused`.
 */
export function withHubCredential(hub: KubeClient, credential: HubCredential): KubeClient {
  async function once<T>(
    call: () => Promise<T>,
    status: (result: T) => number | undefined,
  ): Promise<T> {
    await credential.ready();
    const sent = credential.token();
    let result: T;
    try {
      result = await call();
    } catch (error) {
      if (kubeStatusOf(error) !== 401 || !(await credential.refused(sent))) throw error;
      return call();
    }
    if (status(result) === 401 && (await credential.refused(sent))) return call();
    return result;
  }
  return {
    server: hub.server,
    send: (request: KubeRequest) =>
      once(
        () => hub.send(request),
        (r) => r.status,
      ),
    json: <T>(request: KubeRequest) =>
      once(
        () => hub.json<T>(request),
        () => undefined,
      ),
    watch: (request, onEvent, signal) =>
      once(
        () => hub.watch(request, onEvent, signal),
        () => undefined,
      ),
    token: () => hub.token(),
    setToken: (token) => hub.setToken(token),
    close: () => {
      credential.stop();
      hub.close();
    },
  };
}
