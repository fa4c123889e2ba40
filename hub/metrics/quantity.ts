/**
 * A Kubernetes quantity (`250m`, `4`, `16Gi`, `1e3`) as an approximate number, for metrics
 * only (as Karmada's `AsApproximateFloat64`); undefined when the text is not a quantity. Pure.
 * The agent parses quantities exactly (agent/quantity.ts); a gauge needs no more than a float.
 */
const suffixes: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const pattern = /^(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

export function approximateQuantity(text: string): number | undefined {
  const match = pattern.exec(text.trim());
  if (match === null) return undefined;
  const [, digits = "0", suffix = ""] = match;
  const factor = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : (suffixes[suffix] ?? 1);
  return Number(digits) * factor;
}

/** Millicores in a CPU quantity, as KubeVela's `cluster_cpu_*` gauges count them. */
export const millicores = (text: string): number | undefined => {
  const cores = approximateQuantity(text);
  return cores === undefined ? undefined : Math.round(cores * 1000);
};
