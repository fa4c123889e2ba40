/**
 * render: KubeVela's load-test application shape (webservice + worker, with sidecar, ingress
 * (Service + Ingress), a ConfigMap-style output, labels and scaler), rendered by the same
 * engine as dry-run. Every timed iteration uses different parameter values so no cache could
 * answer. Reports renders per second on one core, p50/p99, cold start (CUE initialisation plus
 * the first render), the share of time inside CUE (compile + evaluate; cue-wasm does both in
 * one call) versus TypeScript (patching, labels, targets), and heap growth over the renders.
 * Targets (issue 4): uncached >= 25 renders/s, cached >= 5,000 renders/s, cold start <= 1 s.
 */
import type { CueEngine } from "../core/cue/engine.js";
import { cueEngine } from "../core/cue/engine.js";
import { loadBuiltinDefinitions } from "../core/oam/load.js";
import type { Application, Definition } from "../core/oam/types.js";
import { definitionSet } from "../core/render/definition-set.js";
import { renderApplication } from "../core/render/render.js";

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

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const round = (n: number, d = 2): number => Number(n.toFixed(d));

export async function renderBench(): Promise<Record<string, unknown>> {
  const coldStart = performance.now();
  const base = await cueEngine();
  const builtins = await loadBuiltinDefinitions(base);
  const definitions = definitionSet(builtins, [configTrait]);
  renderApplication({ engine: base, definitions, app: application(0) });
  const coldMs = performance.now() - coldStart;
  const timed = timedEngine(base);
  const iterations = Number(process.env.BENCH_RENDERS ?? 400);
  const samples: number[] = [];
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  for (let i = 1; i <= iterations; i++) {
    const t = performance.now();
    const objects = renderApplication({ engine: timed.engine, definitions, app: application(i) });
    samples.push(performance.now() - t);
    if (objects.length !== 6) throw new Error(`expected 6 objects, got ${objects.length}`);
  }
  const totalMs = performance.now() - started;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  samples.sort((a, b) => a - b);
  const cueShare = timed.cueMs() / totalMs;
  console.log(`${iterations} uncached renders in ${(totalMs / 1000).toFixed(1)} s`);
  return {
    bench: "render",
    renders: iterations,
    uncachedRendersPerSecond: round((iterations / totalMs) * 1000, 1),
    p50Ms: round(percentile(samples, 0.5)),
    p99Ms: round(percentile(samples, 0.99)),
    coldStartMs: Math.round(coldMs),
    share: { cueCompileAndEvaluate: round(cueShare), typescript: round(1 - cueShare) },
    cachedRendersPerSecond: null,
    heapGrowthMiB: round((heapAfter - heapBefore) / 1024 / 1024),
    targets: { uncachedRendersPerSecond: 25, cachedRendersPerSecond: 5000, coldStartMs: 1000 },
  };
}
