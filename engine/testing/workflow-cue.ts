/**
 * Test helpers for the CUE step runner: `WorkflowActions` kept in process (plain objects that
 * record what they were asked and answer from a mutable world, not a Kubernetes client),
 * HTTP through the real `httpActions()` against a local server on 127.0.0.1, a Map-backed
 * memo, and a run context. Used by the tests next to it only.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { JsonObject } from "../../core/json.js";
import type { Application, WorkflowStep } from "../oam/types.js";
import type { StepPhase, StepRunContext } from "../workflow/types.js";
import type {
  ApplyComponentRequest,
  ApplyComponentResult,
  StepMemo,
  WorkflowActions,
} from "../workflow/cue/actions.js";
import { memoIn } from "../workflow/cue/actions.js";
import { httpActions } from "../workflow/cue/http-actions.js";

export interface Call {
  readonly kind: string;
  readonly request: unknown;
  readonly action: string;
}

/** What the in-process actions answer; tests change it between runs. */
export interface World {
  components: Record<string, ApplyComponentResult>;
  /** Objects by `<kind>/<namespace>/<name>`. */
  objects: Record<string, JsonObject>;
  /** Answers reads instead of `objects`, when set. */
  onRead?: (value: JsonObject) => JsonObject | undefined;
}

const keyOf = (value: JsonObject): string => {
  const meta = (value.metadata ?? {}) as { name?: string; namespace?: string };
  return `${String(value.kind)}/${meta.namespace ?? "default"}/${meta.name ?? ""}`;
};

export function recordingActions(world: World): { actions: WorkflowActions; calls: Call[] } {
  const calls: Call[] = [];
  const record = (kind: string, request: unknown, action: string): void => {
    calls.push({ kind, request, action });
  };
  const http = httpActions({ defaultTimeoutMs: 5_000 });
  const actions: WorkflowActions = {
    applyComponent(request: ApplyComponentRequest, ctx) {
      record("applyComponent", request, ctx.action);
      const found = world.components[request.component];
      if (found === undefined)
        return Promise.reject(new Error(`no component "${request.component}"`));
      return Promise.resolve(found);
    },
    apply(request, ctx) {
      record("apply", request, ctx.action);
      const applied = { ...request.value, status: { applied: true } };
      world.objects[keyOf(request.value)] = applied;
      return Promise.resolve(applied);
    },
    read(request, ctx) {
      record("read", request, ctx.action);
      const found = world.onRead?.(request.value) ?? world.objects[keyOf(request.value)];
      return Promise.resolve(found);
    },
    list(request, ctx) {
      record("list", request, ctx.action);
      const items = Object.values(world.objects).filter((o) => o.kind === request.resource.kind);
      return Promise.resolve(items);
    },
    delete(request, ctx) {
      record("delete", request, ctx.action);
      delete world.objects[keyOf(request.value)];
      return Promise.resolve();
    },
    http(request, ctx) {
      record("http", request, ctx.action);
      return http.http(request, ctx);
    },
    log(entry, ctx) {
      record("log", entry, ctx.action);
    },
  };
  return { actions, calls };
}

export function mapMemo(): StepMemo & { readonly entries: Record<string, unknown> } {
  const entries: Record<string, unknown> = {};
  return { entries, ...memoIn(entries) };
}

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/** A local HTTP server that records requests and answers with `answer` (JSON by default). */
export async function localServer(
  answer: (r: Received) => { status?: number; body?: string; delayMs?: number } = () => ({}),
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(r);
      const { status = 200, body = '{"ok":true}', delayMs = 0 } = answer(r);
      setTimeout(() => {
        res.writeHead(status, { "content-type": "application/json", "x-test": "yes" });
        res.end(body);
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const testApp: Application = {
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name: "shop", namespace: "team-a", labels: { tier: "web" } },
  spec: { components: [{ name: "web", type: "webservice" }] },
};

/** A run context for `step`, as the engine would pass it. */
export function runContext(
  step: WorkflowStep,
  extra: {
    phase?: StepPhase;
    now?: Date;
    inputs?: Record<string, unknown>;
    app?: Application;
  } = {},
): StepRunContext {
  return {
    app: extra.app ?? testApp,
    step,
    inputs: extra.inputs ?? {},
    stepStatus: { id: "s-1", name: step.name, type: step.type, phase: extra.phase ?? "running" },
    now: extra.now ?? new Date("2026-01-01T00:00:00Z"),
  };
}
