/**
 * `createGatewayApp(deps)`: the gateway as an Express app plus an upgrade handler, with no I/O
 * of its own (house style §1): the HTTPS listener is made by `server.ts`, the dependencies by
 * `start.ts`. Routes:
 *
 * - `/healthz`, `/livez`, `/readyz`, `/metrics`, and the discovery documents (`/apis`,
 *   `/apis/cluster.core.oam.dev[/v1alpha1]`) — unauthenticated, as the aggregator needs them;
 * - `…/clustergateways[/<name>[/health]]` — read-only views, authenticated and authorised;
 * - `…/clustergateways/<name>/proxy/<path>` — any verb, through the pipeline to the member.
 *
 * No body parser or compression runs anywhere, so proxied bodies and streams pass untouched.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { performance } from "node:perf_hooks";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { InvalidInputError, NotFoundError } from "../core/errors.js";
import { GATEWAY_GROUP } from "../core/cluster/types.js";
import { errorText, type Logger } from "./deps.js";
import type { HealthSource } from "./health.js";
import { parseKubeRequest, resourceLabel } from "./kube-path.js";
import type { GatewayMetrics, RequestLabels } from "./metrics.js";
import { admit, planProxy, resolveCluster, type PipelineDeps, type ProxyPlan } from "./pipeline.js";
import { forwardRequest, forwardUpgrade } from "./proxy/forward.js";
import { UPSTREAM_STATUS_EVENT } from "./proxy/pool.js";
import {
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  clusterGatewayList,
  clusterGatewayOf,
} from "./resources.js";
import {
  CLUSTERGATEWAYS_PATH,
  GROUP_VERSION_PATH,
  parseGatewayRoute,
  type GatewayRoute,
} from "./routes.js";
import { statusErrorHandler, statusOf, writeStatusToSocket } from "./status.js";

export interface GatewayDeps extends PipelineDeps {
  readonly log: Logger;
  readonly metrics: GatewayMetrics;
  readonly health: HealthSource;
  /** Readiness for `/readyz` (e.g. the registry has synced once). */
  readonly ready: () => boolean;
}

export interface GatewayApp {
  readonly app: Express;
  /** For the HTTPS server's `upgrade` event: exec, attach, port-forward, websockets. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

type ProxyRoute = Extract<GatewayRoute, { kind: "proxy" }>;

/** Metrics labels of a proxied request; member-side verb and resource once it was admitted. */
function labelsOf(
  deps: GatewayDeps,
  method: string,
  route: ProxyRoute,
  plan: ProxyPlan | undefined,
): Omit<RequestLabels, "code"> {
  const info = parseKubeRequest(method, route.path);
  // Before admission the names come from an unknown caller: keep label values bounded.
  const cluster = deps.registry.get(route.cluster) === undefined ? "" : route.cluster;
  return { cluster, verb: info.verb, resource: plan === undefined ? "" : resourceLabel(info) };
}

function observe(
  deps: GatewayDeps,
  labels: Omit<RequestLabels, "code">,
  code: number,
  start: number,
): void {
  deps.metrics.observeRequest({ ...labels, code }, (performance.now() - start) / 1000);
}

async function proxyRequest(
  deps: GatewayDeps,
  route: ProxyRoute,
  http: { readonly req: Request; readonly res: Response; readonly next: NextFunction },
): Promise<void> {
  const { req, res, next } = http;
  const start = performance.now();
  const state: { plan?: ProxyPlan } = {};
  res.on("close", () =>
    observe(deps, labelsOf(deps, req.method, route, state.plan), res.statusCode, start),
  );
  state.plan = await planProxy(deps, req, req.originalUrl, route);
  forwardRequest(state.plan, req, res, next);
}

async function readOnly(
  deps: GatewayDeps,
  req: Request,
  res: Response,
  route: Exclude<GatewayRoute, ProxyRoute>,
): Promise<void> {
  await admit(deps, req, req.originalUrl);
  if (req.method !== "GET" && req.method !== "HEAD") {
    throw new InvalidInputError(
      `${req.method} is not supported on clustergateways: they are read-only`,
    );
  }
  if (route.kind === "list") {
    const items = deps.registry
      .list()
      .map((r) => clusterGatewayOf(r, deps.health.healthOf(r.name)));
    res.json(clusterGatewayList(items));
    return;
  }
  const record = resolveCluster(deps.registry, route.cluster);
  res.json(clusterGatewayOf(record, deps.health.healthOf(record.name)));
}

function upgrade(deps: GatewayDeps, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on("error", () => socket.destroy());
  const rawUrl = req.url ?? "/";
  const route = parseGatewayRoute(rawUrl);
  if (route?.kind !== "proxy") {
    writeStatusToSocket(
      socket,
      new NotFoundError(`no upgradeable resource at ${rawUrl.split("?")[0]}`),
    );
    return;
  }
  const start = performance.now();
  let plan: ProxyPlan | undefined;
  let code = 0;
  req.once(UPSTREAM_STATUS_EVENT, (status: number) => (code = status));
  socket.once("close", () =>
    observe(deps, labelsOf(deps, req.method ?? "GET", route, plan), code, start),
  );
  const fail = (error: unknown): void => {
    if (code === 101) return void socket.destroy(); // mid-session: no HTTP answer possible
    code = statusOf(error).code;
    writeStatusToSocket(socket, error);
  };
  planProxy(deps, req, rawUrl, route)
    .then((planned) => {
      plan = planned;
      forwardUpgrade(planned, req, { socket, head }, fail);
    })
    .catch(fail);
}

/** Builds the gateway app; pure wiring, no I/O until requests arrive. */
export function createGatewayApp(deps: GatewayDeps): GatewayApp {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  const text = (body: string) => (_req: Request, res: Response) =>
    void res.type("text/plain").send(body);
  app.get(["/healthz", "/livez"], text("ok"));
  app.get("/readyz", (_req, res) => {
    const ok = deps.ready();
    res
      .status(ok ? 200 : 503)
      .type("text/plain")
      .send(ok ? "ok" : "not ready: cluster registry not synced");
  });
  app.get("/metrics", async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  app.get("/apis", (_req, res) => void res.json(apiGroupList));
  app.get(`/apis/${GATEWAY_GROUP}`, (_req, res) => void res.json(apiGroupDocument));
  app.get(GROUP_VERSION_PATH, (_req, res) => void res.json(apiResourceList));
  app.use(CLUSTERGATEWAYS_PATH, async (req, res, next) => {
    const route = parseGatewayRoute(req.originalUrl);
    if (route === undefined)
      throw new NotFoundError(`the server could not find ${req.originalUrl.split("?")[0]}`);
    if (route.kind === "proxy") return proxyRequest(deps, route, { req, res, next });
    return readOnly(deps, req, res, route);
  });
  app.use((req, _res, next) => next(new NotFoundError(`the server could not find ${req.path}`)));
  app.use(
    statusErrorHandler((error, context) =>
      deps.log.error("request failed", { context, error: errorText(error) }),
    ),
  );
  return { app, handleUpgrade: (req, socket, head) => upgrade(deps, req, socket, head) };
}
