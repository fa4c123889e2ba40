/**
 * Builds the fleet's cluster binaries with the machine's Go toolchain and caches them outside
 * the repository, keyed by versions (`~/.cache/flotilla/bin/<key>/`). A complete cache
 * directory holds every binary plus the kwok stage file and a `.complete` marker; anything
 * less is rebuilt. Builds go to a temporary directory first and are renamed into place, so an
 * interrupted build never leaves a half-filled cache.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fleetVersions, buildRecipeVersion, type FleetVersions } from "../versions.js";
import { binaryNames, cacheKey, kubernetesBinaries, type BinaryName } from "./cache-key.js";
import {
  kubernetesVersionLdflags,
  kubernetesWrapper,
  renderGoMod,
  stagingModules,
  type WrapperModule,
} from "./go-mod.js";
import { kwokStageFiles } from "./kwok-stages.js";

export type BinaryPaths = Record<BinaryName, string> & {
  readonly dir: string;
  /** kwok's Stage configuration (node and pod lifecycles). */
  readonly kwokStages: string;
};

export interface EnsureBinariesOptions {
  readonly versions?: FleetVersions;
  /** Root of the cache; default `$XDG_CACHE_HOME/flotilla/bin` or `~/.cache/flotilla/bin`. */
  readonly cacheRoot?: string;
  /** Progress lines for humans (a cold build takes minutes). */
  readonly log?: (line: string) => void;
}

/** Raised when the Go toolchain is missing or a build step fails; carries the tool's output. */
export class FleetBuildError extends Error {
  override readonly name = "FleetBuildError";
}

export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache");
  return path.join(base, "flotilla", "bin");
}

function pathsIn(dir: string): BinaryPaths {
  const entries = binaryNames.map((name) => [name, path.join(dir, name)] as const);
  return {
    ...(Object.fromEntries(entries) as Record<BinaryName, string>),
    dir,
    kwokStages: path.join(dir, "kwok-stages.yaml"),
  };
}

/** The cache directory for the given versions, whether or not it has been built yet. */
export function binaryDir(options: EnsureBinariesOptions = {}): string {
  const versions = options.versions ?? fleetVersions;
  const key = cacheKey({
    versions,
    recipe: buildRecipeVersion,
    platform: `${process.platform}/${process.arch}`,
  });
  return path.join(options.cacheRoot ?? defaultCacheRoot(), key);
}

/** Paths of the cached binaries if they are all present, else undefined. */
export function cachedBinaries(options: EnsureBinariesOptions = {}): BinaryPaths | undefined {
  const dir = binaryDir(options);
  const paths = pathsIn(dir);
  const files = [
    path.join(dir, ".complete"),
    paths.kwokStages,
    ...binaryNames.map((n) => paths[n]),
  ];
  return files.every((file) => existsSync(file)) ? paths : undefined;
}

/**
 * Returns the cached binaries, building them first when the cache for these versions is
 * missing or incomplete. Idempotent; safe to call at every fleet start.
 */
export async function ensureBinaries(options: EnsureBinariesOptions = {}): Promise<BinaryPaths> {
  const cached = cachedBinaries(options);
  if (cached !== undefined) return cached;
  const versions = options.versions ?? fleetVersions;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dir = binaryDir(options);
  const started = Date.now();
  log(`[fleet build] building cluster binaries into ${dir} (cold build: several minutes)`);
  await buildInto(dir, versions, log);
  log(`[fleet build] done in ${Math.round((Date.now() - started) / 1000)} s`);
  return pathsIn(dir);
}

/**
 * Builds every binary in a work folder beside `dir`, then moves it into place in one rename,
 * so a build that fails or is killed never leaves a cache that looks complete.
 */
async function buildInto(dir: string, versions: FleetVersions, log: Log): Promise<void> {
  await buildAtomically(dir, async (work) => {
    await buildKubernetes(versions.kubernetes, work, log);
    await buildEtcd(versions.etcd, work, log);
    await buildKwok(versions.kwok, work, log);
    await buildContainerd(versions.containerd, work, log);
    await writeFile(path.join(work, "versions.json"), JSON.stringify(versions, null, 2) + "\n");
  });
}

/**
 * Runs `build` in a work folder beside `dir` (wrapper modules under `<work>/src`, removed
 * after), marks it complete and renames it into place in one step; a failed build leaves
 * nothing behind. Shared with the Helm build (helm.ts).
 */
export async function buildAtomically(
  dir: string,
  build: (work: string) => Promise<void>,
): Promise<void> {
  const work = `${dir}.building-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    await build(work);
    await rm(path.join(work, "src"), { recursive: true, force: true });
    await writeFile(path.join(work, ".complete"), new Date().toISOString() + "\n");
    await rm(dir, { recursive: true, force: true });
    await rename(work, dir);
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
}

async function buildKubernetes(version: string, out: string, log: Log): Promise<void> {
  log(`[fleet build] kubernetes v${version}: downloading the k8s.io/kubernetes module`);
  const info = await goJson(["mod", "download", "-json", `k8s.io/kubernetes@v${version}`], out);
  const goMod = await readFile(String(info.GoMod), "utf8");
  const wrapper = kubernetesWrapper(version, stagingModules(goMod));
  await goBuild({
    label: `kubernetes v${version}`,
    wrapper,
    packages: kubernetesBinaries.map((p) => `k8s.io/kubernetes/cmd/${p}`),
    out,
    workDir: out,
    ldflags: kubernetesVersionLdflags(version),
    log,
  });
}

async function buildEtcd(version: string, out: string, log: Log): Promise<void> {
  await goBuild({
    label: `etcd v${version}`,
    wrapper: {
      name: "flotilla.invalid/fleet/etcd",
      go: "1.26.0",
      require: [["go.etcd.io/etcd/server/v3", `v${version}`]],
    },
    packages: ["go.etcd.io/etcd/server/v3"],
    out: path.join(out, "etcd"),
    workDir: out,
    ldflags: "-s -w",
    log,
  });
}

async function buildKwok(version: string, out: string, log: Log): Promise<void> {
  const wrapper: WrapperModule = {
    name: "flotilla.invalid/fleet/kwok",
    go: "1.26.0",
    require: [["sigs.k8s.io/kwok", `v${version}`]],
  };
  await goBuild({
    label: `kwok v${version}`,
    wrapper,
    packages: ["sigs.k8s.io/kwok/cmd/kwok"],
    out,
    workDir: out,
    ldflags: "-s -w",
    log,
  });
  // kwok ships its default node and pod lifecycles as Stage files in its module; the fleet
  // runs kwok with those same stages.
  const info = await goJson(["mod", "download", "-json", `sigs.k8s.io/kwok@v${version}`], out);
  const stages = await Promise.all(
    kwokStageFiles.map((file) => readFile(path.join(String(info.Dir), file), "utf8")),
  );
  await writeFile(path.join(out, "kwok-stages.yaml"), stages.join("\n---\n"));
}

/** containerd, its runc shim and its CLI (`ctr`, which loads locally built images). */
async function buildContainerd(version: string, out: string, log: Log): Promise<void> {
  const module = "github.com/containerd/containerd/v2";
  await goBuild({
    label: `containerd v${version}`,
    wrapper: {
      name: "flotilla.invalid/fleet/containerd",
      go: "1.26.0",
      require: [[module, `v${version}`]],
    },
    packages: ["containerd", "containerd-shim-runc-v2", "ctr"].map((p) => `${module}/cmd/${p}`),
    out,
    workDir: out,
    // no_btrfs: the btrfs snapshotter needs cgo; real nodes use overlayfs
    tags: "no_btrfs",
    ldflags: `-X ${module}/version.Version=v${version} -s -w`,
    log,
  });
}

export type Log = (line: string) => void;

/** One `go build` of programs from a wrapper module (shared with the Helm build, helm.ts). */
export interface GoBuild {
  readonly label: string;
  readonly wrapper: WrapperModule;
  readonly packages: string[];
  /** A directory (several packages) or a file path (one package). */
  readonly out: string;
  /** The build's work directory; wrapper modules go to `<workDir>/src/<name>`. */
  readonly workDir: string;
  readonly ldflags: string;
  /** Go build tags, comma-separated. */
  readonly tags?: string;
  readonly log: Log;
}

export async function goBuild(build: GoBuild): Promise<void> {
  const src = path.join(build.workDir, "src", build.wrapper.name.split("/").pop() ?? "module");
  await mkdir(src, { recursive: true });
  await writeFile(path.join(src, "go.mod"), renderGoMod(build.wrapper));
  build.log(`[fleet build] ${build.label}: compiling ${build.packages.length} program(s)`);
  const target = build.packages.length > 1 ? build.out + path.sep : build.out;
  const tags = build.tags === undefined ? [] : ["-tags", build.tags];
  const args = ["build", "-v", ...tags, "-ldflags", build.ldflags, "-o", target];
  await runGo([...args, ...build.packages], src, progressReporter(build.label, build.log));
  if (build.packages.length === 1 && target !== build.out) await copyFile(target, build.out);
}

/** Turns `go build -v` package lines into a progress line at most every 15 seconds. */
function progressReporter(label: string, log: Log): (line: string) => void {
  let count = 0;
  let last = Date.now();
  return (line) => {
    if (!/^[\w.-]+(\/[\w.@+-]+)*$/.test(line.trim())) return;
    count += 1;
    if (Date.now() - last < 15_000) return;
    last = Date.now();
    log(`[fleet build] ${label}: ${count} packages compiled (now ${line.trim()})`);
  };
}

async function goJson(args: string[], cwd: string): Promise<Record<string, unknown>> {
  let output = "";
  await runGo(args, cwd, (line) => (output += line + "\n"));
  return JSON.parse(output) as Record<string, unknown>;
}

function runGo(args: string[], cwd: string, onLine: (line: string) => void): Promise<void> {
  const env = { ...process.env, GOFLAGS: "-mod=mod", CGO_ENABLED: "0", GOWORK: "off" };
  return new Promise((resolve, reject) => {
    const child = spawn("go", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const tail: string[] = [];
    const onData = (chunk: Buffer): void => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line === "") continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        onLine(line);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === "ENOENT"
          ? "the Go toolchain (go) is not on PATH; Go >= 1.26 is needed to build the fleet's cluster binaries"
          : `cannot run the Go toolchain (go ${args[0]}): ${error.message}`;
      reject(new FleetBuildError(hint));
    });
    child.on("close", (code) => {
      if (code === 0) return resolve();
      const detail = tail.join("\n");
      reject(
        new FleetBuildError(`go ${args.join(" ")} failed (exit ${code}) in ${cwd}:\n${detail}`),
      );
    });
  });
}
