/**
 * Flotilla's own Kubernetes client, for the programs that must not load
 * `@kubernetes/client-node` (the gateway and the agent: importing it costs 65-74 MiB of
 * memory, measured in docs/benchmarks.md): plain JSON over one keep-alive agent per API
 * server, with the connection's CA, TLS server name, client certificate or bearer token
 * (static, a token file read again as it rotates, or one the program sets: `setToken`).
 *
 * - `send`: the whole answer, whatever its status; `json`: the parsed answer of a 2xx (one that
 *   is not JSON rejects with `UpstreamUnavailableError`), other statuses reject with the typed
 *   error of `status.ts` (401/403 as `UpstreamUnavailableError` with
 *   `credentialErrors: "upstream"`);
 * - `watch`: a watch as parsed events, handed over once its response's headers arrived.
 *
 * Network failures and timeouts reject with `UpstreamUnavailableError`. Every request and
 * response has an `error` listener, so a failing API server never crashes the process.
 */
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { Clock } from "../controller/clock.js";
import { FlotillaError, UpstreamUnavailableError } from "../errors.js";
import { BearerToken } from "./bearer.js";
import { readUtf8 } from "./connect.js";
import type { KubeConnection } from "./connection.js";
import { statusError, type CredentialErrors } from "./status.js";
import {
  agentFor,
  headersOf,
  isHttps,
  payloadOf,
  readBody,
  requestUrl,
  type KubeRequest,
} from "./transport.js";
import type { WatchEvent } from "./watch-events.js";
import { readEvents } from "./watch-stream.js";

export { APPLY_PATCH, MERGE_PATCH, type KubeRequest } from "./transport.js";

export interface KubeResponse {
  readonly status: number;
  readonly text: string;
}

/** A watch whose response arrived (status 200). */
export interface OpenWatch {
  /** Resolves when the watch is over: undefined when the server ended it, else the error. */
  readonly ended: Promise<Error | undefined>;
}

export interface KubeClient {
  /** The API server's URL. */
  readonly server: string;
  /** Sends `request` and reads the whole answer, whatever its status. */
  send(request: KubeRequest): Promise<KubeResponse>;
  /**
   * The parsed JSON of a 2xx answer (`UpstreamUnavailableError` when it is not JSON); other
   * statuses reject with `statusError`'s error.
   */
  json<T>(request: KubeRequest): Promise<T>;
  /**
   * Opens a watch of the collection `request.path` (`watch=true` is added) and hands its
   * events to `onEvent`. Rejects like `json` when the server refuses it (a 410 Gone carries its
   * status: `kubeStatusOf`); `signal` ends it.
   */
  watch(
    request: KubeRequest,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<OpenWatch>;
  /** The bearer token in use, if any. */
  token(): string | undefined;
  /** Sends `token` from now on (the agent's own token renewal). */
  setToken(token: string): void;
  /** Closes the kept-alive connections. */
  close(): void;
}

export interface KubeClientOptions {
  /** Default 10 s. */
  readonly timeoutMs?: number;
  /** Reads a token file (default: the file system). */
  readonly readFile?: (file: string) => string;
  readonly clock?: Clock;
  /** How long a token file's content is reused before it is read again; default 60 s. */
  readonly tokenFileTtlMs?: number;
  /** Default `flotilla`. */
  readonly userAgent?: string;
  /** How the server's 401 and 403 surface (`status.ts`); default `typed`. */
  readonly credentialErrors?: CredentialErrors;
  /** Names the API server in error messages (`hub GET /api/...`), e.g. `hub`, `member`. */
  readonly name?: string;
}

function upstream(what: string, error: unknown): Error {
  if (error instanceof FlotillaError) return error;
  return new UpstreamUnavailableError(`${what}: ${(error as Error).message}`, { cause: error });
}

class HttpKubeClient implements KubeClient {
  readonly server: string;
  readonly #agent: http.Agent;
  readonly #transport: typeof http | typeof https;
  readonly #bearer: BearerToken;
  readonly #options: KubeClientOptions;

  constructor(connection: KubeConnection, options: KubeClientOptions) {
    this.server = connection.server;
    this.#agent = agentFor(connection);
    this.#transport = isHttps(connection) ? https : http;
    this.#options = options;
    this.#bearer = new BearerToken(connection.credential, {
      readFile: options.readFile ?? readUtf8,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.tokenFileTtlMs === undefined ? {} : { tokenFileTtlMs: options.tokenFileTtlMs }),
    });
  }

  async send(request: KubeRequest): Promise<KubeResponse> {
    try {
      const res = await this.#open(request);
      return { status: res.statusCode ?? 0, text: await readBody(res) };
    } catch (error) {
      throw upstream(this.#what(request), error);
    }
  }

  async json<T>(request: KubeRequest): Promise<T> {
    const { status, text } = await this.send(request);
    if (status < 200 || status > 299) throw this.#refused(request, status, text);
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      // A proxy's HTML page or a cut answer: the API server is not answering as one.
      const what = `${this.#what(request)}: answer is not JSON`;
      throw new UpstreamUnavailableError(what, { cause: error });
    }
  }

  /**
   * Opens a streaming request; resolves with the response (any status) once headers arrive
   * (within the timeout), then never times out: `signal` ends it.
   */
  async #stream(request: KubeRequest, signal: AbortSignal): Promise<IncomingMessage> {
    try {
      return await this.#open(request, signal);
    } catch (error) {
      throw upstream(this.#what(request), error);
    }
  }

  async watch(
    request: KubeRequest,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<OpenWatch> {
    const watch = { ...request, query: { ...request.query, watch: true } };
    const res = await this.#stream(watch, signal);
    if (res.statusCode !== 200) {
      const text = await readBody(res).catch(() => "");
      throw this.#refused(watch, res.statusCode ?? 0, text);
    }
    return { ended: readEvents(res, this.#what(watch), onEvent) };
  }

  token(): string | undefined {
    return this.#bearer.current();
  }

  setToken(token: string): void {
    this.#bearer.set(token);
  }

  close(): void {
    this.#agent.destroy();
  }

  #refused(request: KubeRequest, status: number, text: string): FlotillaError {
    return statusError(status, this.#what(request), text, this.#options.credentialErrors);
  }

  #what(request: KubeRequest): string {
    const verb = `${request.method ?? "GET"} ${request.path}${request.query?.watch ? " (watch)" : ""}`;
    return this.#options.name === undefined ? verb : `${this.#options.name} ${verb}`;
  }

  /** With a signal, the caller streams: once headers arrived, the idle timeout is lifted. */
  #open(request: KubeRequest, signal?: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const payload = payloadOf(request);
      const userAgent = this.#options.userAgent ?? "flotilla";
      const req = this.#transport.request(requestUrl(this.server, request), {
        method: request.method ?? "GET",
        agent: this.#agent,
        headers: headersOf(request, userAgent, this.#bearer.current(), payload),
        ...(signal === undefined ? {} : { signal }),
      });
      req.on("response", (res) => {
        res.on("error", () => undefined); // the reader reports it; never an unhandled error
        if (signal !== undefined) req.setTimeout(0);
        resolve(res);
      });
      req.on("error", (error) => reject(upstream(this.#what(request), error)));
      this.#limit(req, request);
      req.end(payload);
    });
  }

  #limit(req: http.ClientRequest, request: KubeRequest): void {
    const timeoutMs = request.timeoutMs ?? this.#options.timeoutMs ?? 10_000;
    if (timeoutMs <= 0) return;
    req.setTimeout(timeoutMs, () =>
      req.destroy(
        new UpstreamUnavailableError(`${this.#what(request)}: no answer in ${timeoutMs} ms`),
      ),
    );
  }
}

/** A client for `connection` with one keep-alive agent; nothing is requested until asked. */
export function createKubeClient(
  connection: KubeConnection,
  options: KubeClientOptions = {},
): KubeClient {
  return new HttpKubeClient(connection, options);
}
