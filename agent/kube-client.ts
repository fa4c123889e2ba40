/**
 * The agent's Kubernetes client: plain HTTPS with one keep-alive agent per API server, JSON in
 * and out, watches as streams of JSON lines. The agent does not load `@kubernetes/client-node`:
 * importing it alone grows a Node process from about 41 to 115 MiB, more than the agent's whole
 * budget (100 MiB RSS with 1,000 nodes). Kubeconfig files are read with the pure helpers of
 * `core/cluster/kubeconfig.ts` (bearer tokens and client certificates; no exec plugins).
 *
 * Failed calls throw `ApiError`, a Flotilla error carrying the HTTP status (decide by `status`
 * or `code`, never by message); network failures and timeouts are `UpstreamUnavailableError`.
 */
import http from "node:http";
import https from "node:https";
import { FlotillaError, UpstreamUnavailableError, type ErrorCode } from "../core/errors.js";

export interface Connection {
  /** The API server URL without a trailing slash. */
  readonly server: string;
  /** Trusted CA; absent: the system's CAs. */
  readonly caPem?: string;
  /** Skip TLS verification (`insecure-skip-tls-verify`). */
  readonly insecure?: boolean;
  readonly certPem?: string;
  readonly keyPem?: string;
  /** The bearer token to send now (read per request, so a rotated token is picked up). */
  readonly token?: () => string | undefined;
}

const codeOf = (status: number): ErrorCode =>
  (
    ({ 400: "InvalidInput", 401: "Unauthenticated", 403: "Forbidden", 404: "NotFound" }) as Record<
      number,
      ErrorCode
    >
  )[status] ??
  (status === 409 ? "Conflict" : status === 422 ? "InvalidInput" : "UpstreamUnavailable");

/** A call the API server answered with an error status. */
export class ApiError extends FlotillaError {
  readonly status: number;
  constructor(status: number, message: string) {
    super(codeOf(status), message);
    this.status = status;
    this.name = "ApiError";
  }
}

/** The HTTP status of a failed call, or undefined when no answer came. */
export const statusOf = (error: unknown): number | undefined =>
  error instanceof ApiError ? error.status : undefined;

export interface CallOptions {
  readonly body?: unknown;
  /** Content type of a PATCH body; default JSON merge patch. */
  readonly patch?: "merge" | "strategic";
  readonly timeoutMs?: number;
}

export interface RawResponse {
  readonly status: number;
  readonly body: string;
}

export type WatchEvent = (type: string, object: unknown) => void;

export interface KubeClient {
  readonly server: string;
  /** Sends a request and returns the parsed JSON answer; throws `ApiError` on >= 400. */
  call<T>(method: string, path: string, options?: CallOptions): Promise<T>;
  /** Sends a GET and returns status and text whatever the status. */
  raw(path: string, timeoutMs?: number): Promise<RawResponse>;
  /** Starts a watch (`?watch=true` added); `onDone` is called once when it ends. Returns abort. */
  watch(
    path: string,
    query: Readonly<Record<string, string>>,
    onEvent: WatchEvent,
    onDone: (error?: unknown) => void,
  ): () => void;
  /** Replaces the bearer token (hub token rotation). */
  setToken(token: string): void;
  /** The bearer token in use, if any. */
  token(): string | undefined;
  /** Closes kept connections. */
  close(): void;
}

const contentTypes = {
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
};

function statusMessage(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    // not a Status document
  }
  return `HTTP ${status}`;
}

export function kubeClient(connection: Connection, defaultTimeoutMs = 10_000): KubeClient {
  const base = new URL(connection.server);
  const secure = base.protocol === "https:";
  const agent = secure
    ? new https.Agent({
        keepAlive: true,
        ...(connection.insecure === true ? { rejectUnauthorized: false } : {}),
        ...(connection.caPem === undefined ? {} : { ca: connection.caPem }),
        ...(connection.certPem === undefined
          ? {}
          : { cert: connection.certPem, key: connection.keyPem }),
      })
    : new http.Agent({ keepAlive: true });
  let override: string | undefined;
  const token = (): string | undefined => override ?? connection.token?.();

  function send(method: string, path: string, headers: http.OutgoingHttpHeaders) {
    const url = new URL(base.pathname.replace(/\/+$/, "") + path, base);
    const bearer = token();
    const all = bearer === undefined ? headers : { ...headers, authorization: `Bearer ${bearer}` };
    return (secure ? https : http).request(url, { method, agent, headers: all });
  }

  function raw(method: string, path: string, options: CallOptions = {}): Promise<RawResponse> {
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const type = method === "PATCH" ? contentTypes[options.patch ?? "merge"] : "application/json";
    const headers = {
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": type }),
    };
    return new Promise((resolve, reject) => {
      const req = send(method, path, headers);
      req.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("error", reject);
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on("error", (error) =>
        reject(
          new UpstreamUnavailableError(`${method} ${path}: ${error.message}`, { cause: error }),
        ),
      );
      req.end(body);
    });
  }

  return {
    server: connection.server,
    async call<T>(method: string, path: string, options?: CallOptions): Promise<T> {
      const res = await raw(method, path, options);
      if (res.status >= 400)
        throw new ApiError(res.status, `${method} ${path}: ${statusMessage(res.status, res.body)}`);
      return JSON.parse(res.body) as T;
    },
    raw: (path, timeoutMs) => raw("GET", path, timeoutMs === undefined ? {} : { timeoutMs }),
    watch(path, query, onEvent, onDone) {
      const params = new URLSearchParams({ ...query, watch: "true" });
      const req = send("GET", `${path}?${params.toString()}`, { accept: "application/json" });
      let done = false;
      const finish = (error?: unknown): void => {
        if (done) return;
        done = true;
        onDone(error);
      };
      req.on("response", (res) => {
        if ((res.statusCode ?? 0) !== 200) {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
          res.on("end", () =>
            finish(
              new ApiError(
                res.statusCode ?? 0,
                `watch ${path}: ${statusMessage(res.statusCode ?? 0, text)}`,
              ),
            ),
          );
          return;
        }
        readLines(res, onEvent);
        res.on("error", finish);
        res.on("end", () => finish());
        res.on("close", () => finish());
      });
      // A watch the server should have ended long ago is dead (the server ends it after
      // `timeoutSeconds` and sends bookmarks meanwhile): give up on a silent connection.
      const limit = Number(query.timeoutSeconds ?? 600) + 60;
      req.setTimeout(limit * 1000, () =>
        req.destroy(new Error(`watch ${path}: silent for ${limit} s`)),
      );
      req.on("error", finish);
      req.end();
      return () => {
        done = true;
        req.destroy();
      };
    },
    setToken(next) {
      override = next;
    },
    token,
    close: () => agent.destroy(),
  };
}

/** Splits a watch stream into JSON lines and calls `onEvent` for each `{type, object}`. */
function readLines(res: http.IncomingMessage, onEvent: WatchEvent): void {
  let pending = "";
  res.setEncoding("utf8");
  res.on("data", (chunk: string) => {
    pending += chunk;
    for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (line.trim() === "") continue;
      try {
        const event = JSON.parse(line) as { type?: unknown; object?: unknown };
        if (typeof event.type === "string") onEvent(event.type, event.object);
      } catch {
        // a line that is not JSON: skip it, as client-go's decoder would fail the watch anyway
      }
    }
  });
}
