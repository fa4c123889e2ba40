/**
 * A minimal HTTPS JSON client for the fleet harness itself (readiness probes, creating nodes,
 * CRDs and pools while a cluster starts), authenticated with the cluster's admin client
 * certificate. Everything beyond start-up uses `@kubernetes/client-node` or kubectl with the
 * written kubeconfig, exactly as users do.
 */
import https from "node:https";

export interface ApiEndpoint {
  readonly server: string;
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: string;
}

/** Raised for a non-2xx answer; keeps the status and the server's message. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly method: string;
  readonly path: string;
  constructor(status: number, method: string, path: string, body: string) {
    super(`${method} ${path}: HTTP ${status}: ${body.slice(0, 500)}`);
    this.status = status;
    this.method = method;
    this.path = path;
  }
}

/** Sends one request; resolves with any HTTP answer, rejects only on transport errors. */
export function request(
  endpoint: ApiEndpoint,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResponse> {
  const url = new URL(path, endpoint.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: endpoint.caPem,
        cert: endpoint.certPem,
        key: endpoint.keyPem,
        headers: payload ? { "content-type": "application/json" } : {},
        timeout: 10_000,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${url.href} timed out`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** Like `request`, but throws `ApiError` unless the status is 2xx; parses JSON. */
export async function call<T = Record<string, unknown>>(
  endpoint: ApiEndpoint,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await request(endpoint, method, path, body);
  if (res.status < 200 || res.status >= 300) throw new ApiError(res.status, method, path, res.body);
  return (res.body === "" ? {} : JSON.parse(res.body)) as T;
}
