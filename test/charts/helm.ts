/**
 * Running helm and kubectl for the chart tests: the exit code and both outputs of one run,
 * with optional standard input, never throwing on a non-zero exit (a failing lint is a result
 * the tests assert on). Also the renders the tests compare: `helm template` of a chart with a
 * values file, and the generated certificates masked so a golden file stays stable.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { ensureHelm } from "../../fleet/build/helm.js";

export const repoRoot = path.join(import.meta.dirname, "..", "..");
export const chartPath = (chart: string): string => path.join(repoRoot, "charts", chart);
export const valuesPath = (file: string): string => path.join(import.meta.dirname, "values", file);

let helm: Promise<string> | undefined;

/** The cached helm binary (`ensureHelm`, built from its Go module on first use), once per file. */
export function helmBinary(): Promise<string> {
  return (helm ??= ensureHelm());
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` with `args`; resolves with its exit code and output whatever the code. */
export function run(command: string, args: readonly string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      }),
    );
    child.stdin.end(input ?? "");
  });
}

export interface Render {
  readonly release: string;
  readonly chart: "flotilla" | "flotilla-agent";
  readonly namespace: string;
  readonly values: string;
  /** Extra `helm template` flags (e.g. `--api-versions`). */
  readonly flags?: readonly string[];
}

/** `helm template` of a chart with a values file from test/charts/values/; throws on failure. */
export async function template(render: Render): Promise<string> {
  const args = ["template", render.release, chartPath(render.chart)];
  args.push("-n", render.namespace, "-f", valuesPath(render.values), ...(render.flags ?? []));
  const result = await run(await helmBinary(), args);
  if (result.code !== 0) throw new Error(`helm ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** The render with generated certificate and key data replaced by a placeholder (pure). */
export const maskGenerated = (rendered: string): string =>
  rendered.replace(/^(\s*(?:ca\.crt|tls\.crt|tls\.key|caBundle): )\S+$/gm, "$1<generated>");
