/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `64Gi`, `1e3`), exactly: parsed into whole
 * millicores (CPU) or bytes (memory), rounded up as the API server rounds, and printed back in
 * a canonical form. Pure. client-node's `quantityToScalar` mixes floats and BigInts and
 * rejects fractional binary quantities such as `1.5Gi`, so the agent has its own.
 */
import { InvalidInputError } from "../core/errors.js";

const binary: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const decimalExponent: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const pattern = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

const ceilDiv = (a: bigint, b: bigint): bigint => (a % b === 0n ? a / b : a / b + 1n);

/** A suffix as a fraction: `Ki` is 1024/1, `m` is 1/1000, `e3` is 1000/1. */
function suffixFactor(suffix: string): { mul: bigint; div: bigint } {
  const multiplier = binary[suffix];
  if (multiplier !== undefined) return { mul: multiplier, div: 1n };
  const exponent = /^[eE][+-]?\d+$/.test(suffix)
    ? Number(suffix.slice(1))
    : (decimalExponent[suffix] ?? 0);
  return exponent >= 0
    ? { mul: 10n ** BigInt(exponent), div: 1n }
    : { mul: 1n, div: 10n ** BigInt(-exponent) };
}

/** The exact value of `text` times `scale`, as numerator / denominator. */
function rational(text: string, scale: bigint): { num: bigint; den: bigint } | undefined {
  const match = pattern.exec(text.trim());
  if (match === null) return undefined;
  const [, sign, digits = "", suffix = ""] = match;
  const [whole = "", fraction = ""] = digits.split(".");
  const { mul, div } = suffixFactor(suffix);
  const negative = sign === "-" ? -1n : 1n;
  return {
    num: BigInt(`${whole}${fraction}` || "0") * scale * mul * negative,
    den: 10n ** BigInt(fraction.length) * div,
  };
}

function parseScaled(text: string, scale: bigint, what: string): number {
  const value = rational(text, scale);
  if (value === undefined || value.num < 0n)
    throw new InvalidInputError(`invalid ${what} quantity ${JSON.stringify(text)}`);
  return Number(ceilDiv(value.num, value.den));
}

/** Millicores in a CPU quantity (`250m` → 250, `2` → 2000, `0.1` → 100); rounds up. */
export function parseCpu(text: string): number {
  return parseScaled(text, 1000n, "CPU");
}

/** Bytes in a memory quantity (`64Gi`, `100M`, `1.5Gi`); rounds up to a whole byte. */
export function parseMemory(text: string): number {
  return parseScaled(text, 1n, "memory");
}

/** CPU quantity text for `millicores`: whole cores as `16`, otherwise `12500m`. */
export function formatCpu(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

const binarySuffixes = ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"] as const;
const decimalSuffixes = ["E", "P", "T", "G", "M", "k"] as const;

/**
 * Memory quantity text for `bytes`: the largest binary suffix that divides it exactly
 * (`64Gi`), else the largest decimal one (`100M`), else plain bytes.
 */
export function formatMemory(bytes: number): string {
  const value = BigInt(bytes);
  if (value === 0n) return "0";
  for (const suffix of binarySuffixes) {
    const unit = binary[suffix] as bigint;
    if (value % unit === 0n) return `${value / unit}${suffix}`;
  }
  for (const suffix of decimalSuffixes) {
    const unit = 10n ** BigInt(decimalExponent[suffix] as number);
    if (value % unit === 0n) return `${value / unit}${suffix}`;
  }
  return String(value);
}
