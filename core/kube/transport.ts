/**
 * The HTTP plumbing under the client (`client.ts`): one keep-alive agent per API server with
 * the connection's TLS settings, request URLs, headers and bodies, and reading an answer.
 */
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { KubeConnection } from "./connection.js";

export interface KubeRequest {
  /** Default GET. */
  readonly method?: string;
  /** API path, e.g. `/api/v1/namespaces/vela-system/secrets`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Sent as JSON (a string is sent as it is). */
  readonly body?: unknown;
  /** Default `application/json` when there is a body (see `MERGE_PATCH`, `APPLY_PATCH`). */
  readonly contentType?: string;
  /** Default `application/json`. */
  readonly accept?: string;
  /**
   * Idle timeout of the request; default the client's. For a watch, it only
   * bounds the wait for the response's headers: the stream itself may stay quiet for as long
   * as it likes.
   */
  readonly timeoutMs?: number;
}

/** Content type of a JSON merge patch (RFC 7386). */
export const MERGE_PATCH = "application/merge-patch+json";
/** Content type of a server-side apply patch. */
export const APPLY_PATCH = "application/apply-patch+yaml";

/** Whether the connection speaks TLS. */
export const isHttps = (connection: KubeConnection): boolean =>
  connection.server.startsWith("https:");

/** The keep-alive agent for `connection`: its CA, client certificate and TLS server name. */
export function agentFor(connection: KubeConnection): http.Agent {
  if (!isHttps(connection)) return new http.Agent({ keepAlive: true });
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

/** The request's body as text, if it has one. */
export function payloadOf(request: KubeRequest): string | undefined {
  if (request.body === undefined) return undefined;
  return typeof request.body === "string" ? request.body : JSON.stringify(request.body);
}

/** The request's headers: accept, user agent, the bearer token and the body's type. */
export function headersOf(
  request: KubeRequest,
  userAgent: string,
  token: string | undefined,
  payload?: string,
): http.OutgoingHttpHeaders {
  return {
    accept: request.accept ?? "application/json",
    "user-agent": userAgent,
    ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    ...(payload === undefined ? {} : { "content-type": request.contentType ?? "application/json" }),
  };
}

/** The whole body of `res` as text. */
export function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => (text += chunk));
    res.on("error", reject);
    res.on("end", () => resolve(text));
  });
}
