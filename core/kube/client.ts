/**
 * A small raw HTTPS client for the hub's API server: what the gateway needs (GET, POST,
 * PATCH, DELETE with JSON, and streaming watches) over one keep-alive agent, with the
 * connection's CA, client certificate or bearer token. It replaces `@kubernetes/client-node`
 * in the gateway's process (about 65 MiB of memory for a dozen calls).
 *
 * Network failures and timeouts reject with `UpstreamUnavailableError`; `json` maps an
 * unsuccessful HTTP status to a typed error (`statusError`). Every request and response has
 * an `error` listener, so a failing hub never crashes the process.
 */
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { FlotillaError, UpstreamUnavailableError } from "../errors.js";
import { systemClock, type Clock } from "../controller/clock.js";
import { readUtf8 } from "./connect.js";
import type { KubeConnection } from "./connection.js";
import { statusError } from "./status.js";

export interface KubeRequest {
  /** Default GET. */
  readonly method?: string;
  /** API path, e.g. `/api/v1/namespaces/vela-system/secrets`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Sent as JSON (a string is sent as it is). */
  readonly body?: unknown;
  /** Default `application/json` when there is a body. */
  readonly contentType?: string;
  /** Default `application/json`. */
  readonly accept?: string;
  /**
   * Idle timeout of the request; default the client's. For `stream`, it only bounds the wait
   * for the response's headers: the stream itself may stay quiet for as long as it likes.
   */
  readonly timeoutMs?: number;
}

export interface KubeResponse {
  readonly status: number;
  readonly text: string;
}

export interface KubeClient {
  /** The API server's URL. */
  readonly server: string;
  /** Sends `request` and reads the whole answer, whatever its status. */
  send(request: KubeRequest): Promise<KubeResponse>;
  /** The parsed JSON of a 2xx answer; other statuses reject with `statusError`'s error. */
  json<T>(request: KubeRequest): Promise<T>;
  /**
   * Opens a streaming request; resolves with the response (any status) once headers arrive
   * (within the timeout), then never times out: `signal` ends it.
   */
  stream(request: KubeRequest, signal: AbortSignal): Promise<IncomingMessage>;
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
}

type Bearer = () => string | undefined;

/**
 * The `Authorization` header value for each request: none, a static token, or a token file
 * read again once its content is older than `tokenFileTtlMs` (rotated in-cluster tokens).
 */
export function bearerOf(connection: KubeConnection, options: KubeClientOptions = {}): Bearer {
  const credential = connection.credential;
  if (credential?.type === "ServiceAccountToken") return () => `Bearer ${credential.token}`;
  if (credential?.type !== "ServiceAccountTokenFile") return () => undefined;
  const clock = options.clock ?? systemClock;
  const ttl = options.tokenFileTtlMs ?? 60_000;
  const read = options.readFile ?? readUtf8;
  let cached: { value: string; until: number } | undefined;
  return () => {
    const now = clock.now();
    if (cached === undefined || cached.until <= now)
      cached = { value: read(credential.file).trim(), until: now + ttl };
    return `Bearer ${cached.value}`;
  };
}

function agentFor(connection: KubeConnection): http.Agent {
  if (!connection.server.startsWith("https:")) return new http.Agent({ keepAlive: true });
  const credential = connection.credential;
  return new https.Agent({
    keepAlive: true,
    rejectUnauthorized: !connection.insecure,
    ...(connection.caPem === undefined ? {} : { ca: connection.caPem }),
    ...(connection.tlsServerName === undefined ? {} : { servername: connection.tlsServerName }),
    ...(credential?.type === "X509Certificate"
      ? { cert: credential.certPem, key: credential.keyPem }
      : {}),
  });
}

/** `server` + `path` + the query (undefined values left out). */
export function requestUrl(server: string, request: KubeRequest): URL {
  const url = new URL(server + request.path);
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url;
}

const what = (request: KubeRequest): string => `hub ${request.method ?? "GET"} ${request.path}`;

function upstream(request: KubeRequest, error: unknown): Error {
  if (error instanceof FlotillaError) return error;
  return new UpstreamUnavailableError(`${what(request)}: ${(error as Error).message}`, {
    cause: error,
  });
}

function payloadOf(request: KubeRequest): string | undefined {
  if (request.body === undefined) return undefined;
  return typeof request.body === "string" ? request.body : JSON.stringify(request.body);
}

function headersOf(request: KubeRequest, bearer: Bearer, payload?: string) {
  const authorization = bearer();
  return {
    accept: request.accept ?? "application/json",
    "user-agent": "flotilla-gateway",
    ...(authorization === undefined ? {} : { authorization }),
    ...(payload === undefined ? {} : { "content-type": request.contentType ?? "application/json" }),
  };
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => (text += chunk));
    res.on("error", reject);
    res.on("end", () => resolve(text));
  });
}

/** A client for `connection` with one keep-alive agent; nothing is requested until asked. */
export function createKubeClient(
  connection: KubeConnection,
  options: KubeClientOptions = {},
): KubeClient {
  const agent = agentFor(connection);
  const transport = connection.server.startsWith("https:") ? https : http;
  const bearer = bearerOf(connection, options);
  const defaultTimeout = options.timeoutMs ?? 10_000;

  const open = (request: KubeRequest, signal?: AbortSignal): Promise<IncomingMessage> =>
    // With a signal, the caller streams: once headers arrived, the idle timeout is lifted.
    new Promise((resolve, reject) => {
      const payload = payloadOf(request);
      const req = transport.request(requestUrl(connection.server, request), {
        method: request.method ?? "GET",
        agent,
        headers: headersOf(request, bearer, payload),
        ...(signal === undefined ? {} : { signal }),
      });
      req.on("response", (res) => {
        res.on("error", () => undefined); // the reader reports it; never an unhandled error
        if (signal !== undefined) req.setTimeout(0);
        resolve(res);
      });
      req.on("error", (error) => reject(upstream(request, error)));
      const timeoutMs = request.timeoutMs ?? defaultTimeout;
      if (timeoutMs > 0) {
        req.setTimeout(timeoutMs, () =>
          req.destroy(
            new UpstreamUnavailableError(`${what(request)}: no answer in ${timeoutMs} ms`),
          ),
        );
      }
      req.end(payload);
    });

  const send = async (request: KubeRequest): Promise<KubeResponse> => {
    try {
      const res = await open(request);
      return { status: res.statusCode ?? 0, text: await readBody(res) };
    } catch (error) {
      throw upstream(request, error);
    }
  };

  return {
    server: connection.server,
    send,
    async json<T>(request: KubeRequest): Promise<T> {
      const { status, text } = await send(request);
      if (status < 200 || status > 299) throw statusError(status, what(request), text, "upstream");
      return JSON.parse(text) as T;
    },
    async stream(request, signal) {
      try {
        return await open(request, signal);
      } catch (error) {
        throw upstream(request, error);
      }
    },
    close: () => agent.destroy(),
  };
}
