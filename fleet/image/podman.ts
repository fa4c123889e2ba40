/**
 * podman, as the fleet's images are built with it: its own storage under the cache (so nothing
 * depends on, or changes, the machine's podman state), runc as the runtime (crun fails on this
 * hybrid cgroup layout), cgroupfs (no systemd), and the host network for build steps that
 * fetch packages. Rlimits cannot be raised here, so containers get the current ones.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { hashOf, imageCacheRoot } from "./cache.js";

/** Raised when podman is missing or fails; carries the tail of its output. */
export class ImageBuildError extends Error {
  override readonly name = "ImageBuildError";
}

/** The global flags of every podman call (pure). */
export function podmanGlobals(cacheRoot: string = imageCacheRoot()): string[] {
  const storage = path.join(cacheRoot, "podman", "storage");
  return [
    `--root=${storage}`,
    // runtime state of this storage only: another cache directory gets its own
    `--runroot=/run/flotilla-podman/${hashOf([storage])}`,
    "--storage-driver=overlay",
    "--runtime=/usr/sbin/runc",
    "--cgroup-manager=cgroupfs",
    "--events-backend=file",
  ];
}

/** The ulimits containers run with: the current ones (raising them is refused here). */
export const ulimitFlags = ["--ulimit=nofile=1024:1024", "--ulimit=nproc=4096:4096"];

export interface RunOptions {
  /** Progress lines (podman build output), for long builds. */
  readonly onLine?: (line: string) => void;
  readonly stdin?: NodeJS.ReadableStream;
  readonly cwd?: string;
}

/** Runs a command; resolves with stdout, rejects with the last lines of output. */
export function runTool(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    const tail: string[] = [];
    const onData = (out: boolean) => (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      if (out) stdout += text;
      for (const line of text.split("\n").filter((l) => l !== "")) {
        tail.push(line);
        if (tail.length > 30) tail.shift();
        options.onLine?.(line);
      }
    };
    child.stdout.on("data", onData(true));
    child.stderr.on("data", onData(false));
    if (options.stdin !== undefined) options.stdin.pipe(child.stdin);
    else child.stdin.end();
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        new ImageBuildError(
          error.code === "ENOENT"
            ? `${command} is not installed (Debian package ${command}); building images needs it`
            : `${command}: ${error.message}`,
        ),
      ),
    );
    child.on("close", (code) =>
      code === 0
        ? resolve(stdout)
        : reject(
            new ImageBuildError(
              `${command} ${args.join(" ")} failed (exit ${code}):\n${tail.join("\n")}`,
            ),
          ),
    );
  });
}

export function podman(args: readonly string[], options: RunOptions = {}): Promise<string> {
  return runTool("podman", [...podmanGlobals(), ...args], options);
}

/** Whether the isolated storage holds an image with this name. */
export async function hasImage(name: string): Promise<boolean> {
  try {
    await podman(["image", "exists", name]);
    return true;
  } catch {
    return false;
  }
}
