/**
 * The bearer token a client sends, covering both ways a token rotates: a token file read
 * again once its content is older than a TTL (the kubelet rotates in-cluster tokens on disk),
 * and a token set by the program itself (`set`: the agent's own TokenRequest renewal), which
 * wins over the connection's. Certificates and anonymous connections send no token until one
 * is set.
 */
import { systemClock, type Clock } from "../controller/clock.js";
import type { KubeCredential } from "./connection.js";

export interface BearerOptions {
  /** Reads a token file. */
  readonly readFile: (file: string) => string;
  readonly clock?: Clock;
  /** How long a token file's content is reused before it is read again; default 60 s. */
  readonly tokenFileTtlMs?: number;
}

/** The token to send now; read per request, so a rotated token is picked up. */
export class BearerToken {
  readonly #credential: KubeCredential | undefined;
  readonly #options: BearerOptions;
  #cached: { value: string; until: number } | undefined;
  #override: string | undefined;

  constructor(credential: KubeCredential | undefined, options: BearerOptions) {
    this.#credential = credential;
    this.#options = options;
  }

  /** The token in use, if any (a token file is read when its content is older than the TTL). */
  current(): string | undefined {
    if (this.#override !== undefined) return this.#override;
    const credential = this.#credential;
    if (credential?.type === "ServiceAccountToken") return credential.token;
    if (credential?.type !== "ServiceAccountTokenFile") return undefined;
    return this.#fromFile(credential.file);
  }

  /** Uses `token` from now on, whatever the connection says. */
  set(token: string): void {
    this.#override = token;
  }

  #fromFile(file: string): string {
    const now = (this.#options.clock ?? systemClock).now();
    if (this.#cached === undefined || this.#cached.until <= now) {
      const ttl = this.#options.tokenFileTtlMs ?? 60_000;
      this.#cached = { value: this.#options.readFile(file).trim(), until: now + ttl };
    }
    return this.#cached.value;
  }
}
