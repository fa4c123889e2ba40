/**
 * render: KubeVela's load-test application shape (webservice + worker, with sidecar, ingress
 * (Service + Ingress), a ConfigMap-style output, labels and scaler), rendered by the same
 * engine as dry-run. Every timed iteration uses different parameter values so no cache could
 * answer. Reports renders per second on one core, p50/p99, cold start (CUE initialisation plus
 * the first render), the share of time inside CUE (compile + evaluate; cue-wasm does both in
 * one call) versus TypeScript (patching, labels, targets), heap and RSS growth over the
 * uncached renders (default 10,000; BENCH_RENDERS to change), and cached renders per second
 * in resync sweeps (100 unchanged applications, 100 passes, through `renderCache`).
 * Targets (issue 4): uncached >= 25 renders/s, cached >= 5,000 renders/s, cold start <= 1 s.
 */
import type { CueEngine } from "../engine/cue/engine.js";
import { cueEngine } from "../engine/cue/engine.js";
import { loadBuiltinDefinitions } from "../engine/oam/load.js";
import type { Application, Definition } from "../engine/oam/types.js";
import { definitionSet, type DefinitionSet } from "../engine/render/definition-set.js";
import { renderCache } from "../engine/render/cache.js";
import { renderApplication } from "../engine/render/render.js";
import { percentile } from "./stats.js";

const configTrait: Definition = {
  kind: "TraitDefinition",
  name: "app-config",
  source: "bench",
  cueTemplate: `outputs: config: {
  apiVersion: "v1"
  kind: "ConfigMap"
  metadata: name: "\\(context.name)-config"
  data: parameter.data
}
parameter: data: [string]: string`,
};

function application(i: number): Application {
  const traits = [
    { type: "sidecar", properties: { name: "proxy", image: `envoy:1.${i % 30}` } },
    {
      type: "ingress",
      properties: { domain: `app${i}.example.com`, http: { "/": 8000 + (i % 50) } },
    },
    {
      type: "app-config",
      properties: { data: { iteration: String(i), mode: i % 2 === 0 ? "even" : "odd" } },
    },
    { type: "labels", properties: { run: `r${i}` } },
    { type: "scaler", properties: { replicas: 1 + (i % 5) } },
  ];
  return {
    apiVersion: "core.oam.dev/v1beta1",
    kind: "Application",
    metadata: { name: `load-${i}`, namespace: "bench" },
    spec: {
      components: [
        {
          name: "frontend",
          type: "webservice",
          properties: { image: `nginx:1.${i % 27}`, port: 8000 + (i % 50) },
          traits,
        },
        {
          name: "backend",
          type: "worker",
          properties: { image: `busybox:1.${i % 36}`, cmd: ["sleep", String(i)] },
          traits: traits.filter((t) => t.type !== "ingress"),
        },
      ],
    },
  };
}

/** Wraps an engine to time the calls into CUE. */
function timedEngine(engine: CueEngine): { engine: CueEngine; cueMs: () => number } {
  let total = 0;
  return {
    engine: {
      evaluate(source) {
        const start = performance.now();
        try {
          return engine.evaluate(source);
        } finally {
          total += performance.now() - start;
        }
      },
    },
    cueMs: () => total,
  };
}

const round = (n: number, d = 2): number => Number(n.toFixed(d));

/** Cold start in phases: CUE initialisation, loading the built-ins, the first render. */
async function coldStart(): Promise<{
  engine: CueEngine;
  definitions: DefinitionSet;
  phases: { cueInitMs: number; definitionsMs: number; firstRenderMs: number; totalMs: number };
}> {
  const t0 = performance.now();
  const engine = await cueEngine();
  const t1 = performance.now();
  const definitions = definitionSet(await loadBuiltinDefinitions(engine), [configTrait]);
  const t2 = performance.now();
  renderApplication({ engine, definitions, app: application(0) });
  const t3 = performance.now();
  const phases = {
    cueInitMs: Math.round(t1 - t0),
    definitionsMs: Math.round(t2 - t1),
    firstRenderMs: Math.round(t3 - t2),
    totalMs: Math.round(t3 - t0),
  };
  return { engine, definitions, phases };
}

/**
 * A resync sweep: `apps` applications rendered once (filling the cache), then `sweeps` passes
 * over all of them with unchanged inputs, timed. Returns renders per second of the passes.
 */
function cachedSweeps(
  engine: CueEngine,
  definitions: DefinitionSet,
  apps = 100,
  sweeps = 100,
): number {
  const cache = renderCache();
  const inputs = Array.from({ length: apps }, (_, i) => ({
    engine,
    definitions,
    app: application(i),
  }));
  for (const input of inputs) cache.render(input);
  const started = performance.now();
  for (let s = 0; s < sweeps; s++) {
    // Each sweep sees freshly parsed objects, as a resync does after a list from the API server.
    for (const input of inputs) cache.render({ ...input, app: structuredClone(input.app) });
  }
  const ms = performance.now() - started;
  const { hits } = cache.stats();
  if (hits !== apps * sweeps) throw new Error(`expected ${apps * sweeps} cache hits, got ${hits}`);
  return ((apps * sweeps) / ms) * 1000;
}

const mib = (bytes: number): number => round(bytes / 1024 / 1024);

export async function renderBench(): Promise<Record<string, unknown>> {
  const cold = await coldStart();
  const { definitions } = cold;
  const timed = timedEngine(cold.engine);
  const iterations = Number(process.env.BENCH_RENDERS ?? 10_000);
  const samples: number[] = [];
  global.gc?.();
  const before = process.memoryUsage();
  const started = performance.now();
  for (let i = 1; i <= iterations; i++) {
    const t = performance.now();
    const objects = renderApplication({ engine: timed.engine, definitions, app: application(i) });
    samples.push(performance.now() - t);
    if (objects.length !== 6) throw new Error(`expected 6 objects, got ${objects.length}`);
  }
  const totalMs = performance.now() - started;
  global.gc?.();
  const after = process.memoryUsage();
  samples.sort((a, b) => a - b);
  const cueShare = timed.cueMs() / totalMs;
  console.log(`${iterations} uncached renders in ${(totalMs / 1000).toFixed(1)} s`);
  const cached = cachedSweeps(cold.engine, definitions);
  return {
    bench: "render",
    renders: iterations,
    uncachedRendersPerSecond: round((iterations / totalMs) * 1000, 1),
    p50Ms: round(percentile(samples, 0.5)),
    p99Ms: round(percentile(samples, 0.99)),
    coldStartMs: cold.phases.totalMs,
    coldStart: cold.phases,
    share: { cueCompileAndEvaluate: round(cueShare), typescript: round(1 - cueShare) },
    cachedRendersPerSecond: Math.round(cached),
    heapGrowthMiB: mib(after.heapUsed - before.heapUsed),
    rssGrowthMiB: mib(after.rss - before.rss),
    targets: { uncachedRendersPerSecond: 25, cachedRendersPerSecond: 5000, coldStartMs: 1000 },
  };
}
