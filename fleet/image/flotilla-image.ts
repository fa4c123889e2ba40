/**
 * Flotilla's own image, `flotilla:<version>` (podman and containerd list it as
 * `localhost/flotilla:<version>`), built from the repository's Dockerfile with the Node base
 * images made on this machine (`base.ts`) as its build arguments, and saved as a docker-archive
 * in the image cache under a hash of everything that goes into it. `npm run image` builds it;
 * the fleet loads it into real nodes. Cold: about a minute for the bases plus two for the build
 * (`npm ci` inside the build stage); warm: a hash of the sources.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { assetRoot } from "../../core/assets.js";
import { ensureBaseImage, baseTag } from "./base.js";
import { contentHash, hashOf, imageCacheRoot } from "./cache.js";
import { podman, ulimitFlags } from "./podman.js";
import type { BuiltImage } from "./node-images.js";

/** What the Dockerfile reads from the repository (its build context, as far as it matters). */
export const imageInputs = [
  "Dockerfile",
  ".dockerignore",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "core",
  "engine",
  "hub",
  "gateway",
  "agent",
  "cli",
  "fleet",
  "bin",
  "definitions",
  "charts/flotilla/crds",
];

/**
 * What the build leaves out (`.dockerignore`: tests, test support, Markdown but the
 * definitions'), so editing a test or a README rebuilds nothing.
 */
export const skipInKey = (relativePath: string): boolean => {
  const name = path.basename(relativePath);
  if (name.endsWith(".md")) return !relativePath.startsWith("definitions/");
  return name.endsWith(".test.ts") || name === "testing" || name === "node_modules";
};

export interface FlotillaImage extends BuiltImage {
  readonly version: string;
}

export interface FlotillaImageOptions {
  readonly log?: (line: string) => void;
  /** The repository to build from; default the running Flotilla's. */
  readonly root?: string;
}

/** The image's version: package.json's. */
export function flotillaVersion(root: string = assetRoot()): string {
  return (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string })
    .version;
}

/** The archive's cache key: the build inputs and both bases. */
export function flotillaImageKey(root: string): string {
  return hashOf([contentHash(root, imageInputs, skipInKey), baseTag("build"), baseTag("runtime")]);
}

/**
 * The CA bundle this machine trusts beyond Node's own (`NODE_EXTRA_CA_CERTS`), handed to the
 * build stage's `npm ci` as the `extra-ca` secret: the registry may be reached through a proxy
 * whose CA only the machine knows.
 */
export function extraCaFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.NODE_EXTRA_CA_CERTS;
  return file !== undefined && file !== "" && existsSync(file) ? file : undefined;
}

export interface BuildInput {
  readonly root: string;
  readonly tag: string;
  readonly bases: { readonly build: string; readonly runtime: string };
  readonly extraCa?: string;
}

/** `podman build` arguments (pure). */
export function buildArgs({ root, tag, bases, extraCa }: BuildInput): string[] {
  return [
    "build",
    "--network=host",
    ...ulimitFlags,
    ...(extraCa === undefined ? [] : [`--secret=id=extra-ca,src=${extraCa}`]),
    `--build-arg=NODE_BASE=${bases.build}`,
    `--build-arg=RUNTIME_BASE=${bases.runtime}`,
    `--file=${path.join(root, "Dockerfile")}`,
    `--tag=${tag}`,
    root,
  ];
}

/** Keeps the cache to one archive: a new build replaces the one of older sources. */
async function dropOlderArchives(dir: string, keep: string): Promise<void> {
  for (const name of await readdir(dir))
    if (name.startsWith("flotilla-") && path.join(dir, name) !== keep)
      await rm(path.join(dir, name), { force: true });
}

/** Flotilla's image as a docker-archive, built unless the cache holds this exact input. */
export async function ensureFlotillaImage(
  options: FlotillaImageOptions = {},
): Promise<FlotillaImage> {
  const root = options.root ?? assetRoot();
  const log = options.log ?? (() => undefined);
  const version = flotillaVersion(root);
  const tag = `localhost/flotilla:${version}`;
  const dir = path.join(imageCacheRoot(), "flotilla");
  const archive = path.join(dir, `flotilla-${version}-${flotillaImageKey(root)}.tar`);
  if (existsSync(archive)) return { tag, archive, version };
  const bases = {
    build: await ensureBaseImage("build", log),
    runtime: await ensureBaseImage("runtime", log),
  };
  log(`[image] building ${tag} from ${path.join(root, "Dockerfile")}`);
  const input = { root, tag, bases, extraCa: extraCaFile() };
  await podman(buildArgs(input), { onLine: (line) => log(`[image] ${line}`) });
  await mkdir(dir, { recursive: true });
  await rm(`${archive}.tmp`, { force: true });
  await podman(["save", "--format=docker-archive", `--output=${archive}.tmp`, tag]);
  await rename(`${archive}.tmp`, archive);
  await dropOlderArchives(dir, archive);
  await podman(["image", "prune", "--force"]); // layers of earlier builds
  log(`[image] ${tag} saved to ${archive}`);
  return { tag, archive, version };
}
