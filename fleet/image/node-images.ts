/**
 * The small images every real node loads: the pause image of pod sandboxes (a static C
 * program, `pause.c`) and a test image with a shell and the usual tools (Debian's
 * `busybox-static` and its applets). Both are built `FROM scratch` by podman and saved as
 * docker-archives in the image cache, named by a hash of their inputs; a few seconds cold.
 */
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { contentHash, hashOf, imageCacheRoot } from "./cache.js";
import { podman, runTool } from "./podman.js";
import { imagePins } from "./pins.js";
import { assetRoot } from "../../core/assets.js";

export interface BuiltImage {
  /** The image's name as pods and containerd see it. */
  readonly tag: string;
  /** The docker-archive tarball (`ctr images import`, `podman load`). */
  readonly archive: string;
}

export interface NodeImages {
  readonly pause: BuiltImage;
  readonly test: BuiltImage;
}

const busybox = "/bin/busybox";
/** The pause program's source: an asset, found from the sources and from dist/ alike. */
const pauseSource = (): string => path.join(assetRoot(), "fleet", "image", "pause.c");
/** Applets linked in the test image (BusyBox answers to its name). */
const applets = ["sh", "echo", "cat", "ls", "sleep", "env", "hostname", "date", "wget", "ps", "id"];

/** The cache key of the node images: the pause source, BusyBox and the recipe (pure but I/O). */
function nodeImagesKey(): string {
  const dir = path.dirname(pauseSource());
  return hashOf([
    contentHash(dir, ["pause.c"]),
    contentHash("/", [busybox.slice(1)]),
    String(imagePins.nodeImagesRecipe),
  ]);
}

/** The names of the node images for a key (pure). */
export function nodeImageTags(key: string): { pause: string; test: string } {
  return { pause: `localhost/flotilla-pause:${key}`, test: `localhost/flotilla-test:${key}` };
}

async function buildScratchImage(tag: string, context: string, archive: string): Promise<void> {
  await podman(["build", "--quiet", "--tag", tag, context]);
  await rm(archive, { force: true });
  await podman(["save", "--format", "docker-archive", "--output", archive, tag]);
}

async function pauseContext(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await runTool("gcc", ["-static", "-O2", "-s", "-o", path.join(dir, "pause"), pauseSource()]);
  await writeFile(
    path.join(dir, "Containerfile"),
    'FROM scratch\nCOPY pause /pause\nENTRYPOINT ["/pause"]\n',
  );
}

async function testContext(dir: string): Promise<void> {
  await mkdir(path.join(dir, "root", "bin"), { recursive: true });
  await copyFile(busybox, path.join(dir, "root", "bin", "busybox"));
  for (const applet of applets) await symlink("busybox", path.join(dir, "root", "bin", applet));
  await mkdir(path.join(dir, "root", "tmp"));
  await writeFile(
    path.join(dir, "Containerfile"),
    'FROM scratch\nCOPY root/ /\nENV PATH=/bin\nCMD ["sh"]\n',
  );
}

/** The pause and test images, built unless cached. Needs gcc and Debian's busybox-static. */
export async function ensureNodeImages(
  options: { log?: (line: string) => void } = {},
): Promise<NodeImages> {
  if (!existsSync(busybox))
    throw new Error(`${busybox} is missing: the test image needs Debian's busybox-static`);
  const key = nodeImagesKey();
  const tags = nodeImageTags(key);
  const dir = path.join(imageCacheRoot(), "node-images");
  const pause = { tag: tags.pause, archive: path.join(dir, `pause-${key}.tar`) };
  const test = { tag: tags.test, archive: path.join(dir, `test-${key}.tar`) };
  if (existsSync(pause.archive) && existsSync(test.archive)) return { pause, test };
  options.log?.("[image] building the pause and test images");
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(path.join(os.tmpdir(), "flotilla-node-images-"));
  try {
    await pauseContext(path.join(work, "pause"));
    await testContext(path.join(work, "test"));
    await buildScratchImage(pause.tag, path.join(work, "pause"), `${pause.archive}.tmp`);
    await buildScratchImage(test.tag, path.join(work, "test"), `${test.archive}.tmp`);
    await runTool("mv", [`${pause.archive}.tmp`, pause.archive]);
    await runTool("mv", [`${test.archive}.tmp`, test.archive]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { pause, test };
}
