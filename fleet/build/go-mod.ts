/**
 * Pure helpers for the wrapper Go modules that build the fleet's binaries.
 *
 * `k8s.io/kubernetes` cannot be required as-is: its go.mod requires every `k8s.io/*` staging
 * module at `v0.0.0` and replaces it with a path inside its own repository. A wrapper module
 * that requires `k8s.io/kubernetes` must therefore replace each staging module with the
 * published `v0.<minor>.<patch>` tag of the same release.
 */

/** Staging modules named by `k8s.io/kubernetes`'s go.mod `replace` block (`=> ./staging/...`). */
export function stagingModules(kubernetesGoMod: string): string[] {
  const modules = new Set<string>();
  for (const line of kubernetesGoMod.split("\n")) {
    const match = /^\s*(?:replace\s+)?(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\//.exec(line);
    if (match?.[1] !== undefined) modules.add(match[1]);
  }
  return [...modules].sort();
}

/** The published tag of a staging module for a Kubernetes release: `1.36.3` → `v0.36.3`. */
export function stagingVersion(kubernetesVersion: string): string {
  const match = /^1\.(\d+)\.(\d+)$/.exec(kubernetesVersion);
  if (match === null) throw new Error(`not a Kubernetes release version: ${kubernetesVersion}`);
  return `v0.${match[1]}.${match[2]}`;
}

export interface WrapperModule {
  /** Module path of the wrapper itself (never published). */
  readonly name: string;
  /** The Go language version the wrapper declares. */
  readonly go: string;
  /** `module@version` pairs required. */
  readonly require: ReadonlyArray<readonly [string, string]>;
  /** `module => module version` replacements. */
  readonly replace?: ReadonlyArray<readonly [string, string]>;
}

/** Renders a wrapper go.mod. */
export function renderGoMod(mod: WrapperModule): string {
  const lines = [`module ${mod.name}`, "", `go ${mod.go}`, "", "require ("];
  for (const [path, version] of mod.require) lines.push(`\t${path} ${version}`);
  lines.push(")", "");
  if (mod.replace !== undefined && mod.replace.length > 0) {
    lines.push("replace (");
    for (const [path, version] of mod.replace) lines.push(`\t${path} => ${path} ${version}`);
    lines.push(")", "");
  }
  return lines.join("\n");
}

/** The wrapper that builds the Kubernetes control plane and kubectl for one release. */
export function kubernetesWrapper(kubernetesVersion: string, staging: string[]): WrapperModule {
  const published = stagingVersion(kubernetesVersion);
  return {
    name: "flotilla.invalid/fleet/kubernetes",
    go: "1.26.0",
    require: [["k8s.io/kubernetes", `v${kubernetesVersion}`]],
    // The sample modules are examples, not dependencies of any binary, and not all published.
    replace: staging.filter((m) => !m.includes("/sample-")).map((m) => [m, published] as const),
  };
}

/**
 * Linker flags that stamp the Kubernetes version into the binaries, so `kubectl version`
 * reports the real server version instead of `v0.0.0-master`.
 */
export function kubernetesVersionLdflags(kubernetesVersion: string): string {
  const [major, minor] = kubernetesVersion.split(".");
  const pkg = "k8s.io/component-base/version";
  return [
    `-X ${pkg}.gitVersion=v${kubernetesVersion}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
    "-s -w",
  ].join(" ");
}
