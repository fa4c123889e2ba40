/** Running the system tools a real node needs (ip, nsenter, mount, ctr), with clear errors. */
import { execFile, execFileSync } from "node:child_process";

/** Raised when a tool is missing or fails; names the command and carries its output. */
export class RealNodeError extends Error {
  override readonly name = "RealNodeError";
}

/** Debian packages that provide each tool, for the "not found" hint. */
const packages: Record<string, string> = {
  ip: "iproute2",
  nsenter: "util-linux",
  socat: "socat",
  runc: "runc",
  iptables: "iptables",
  umount: "mount",
};

function failure(command: string, args: readonly string[], error: unknown): RealNodeError {
  const e = error as NodeJS.ErrnoException & { stderr?: string | Buffer };
  if (e.code === "ENOENT") {
    const pkg = packages[command.split("/").pop() ?? command];
    const hint = pkg === undefined ? "" : ` (Debian package ${pkg})`;
    return new RealNodeError(`${command} is not installed${hint}; real fleet nodes need it`);
  }
  const stderr = String(e.stderr ?? "").trim();
  return new RealNodeError(`${command} ${args.join(" ")} failed: ${stderr || e.message}`);
}

/** Runs a command; resolves with its stdout. */
export function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: "utf8" }, (error, stdout) => {
      if (error === null) resolve(stdout);
      else reject(failure(command, args, error));
    });
  });
}

/** Runs a command synchronously (cleanup also runs from exit handlers). */
export function runSync(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    throw failure(command, args, error);
  }
}

/** Runs a command synchronously and ignores failure (cleanup of what may be gone already). */
export function tryRunSync(command: string, args: readonly string[]): boolean {
  try {
    runSync(command, args);
    return true;
  } catch {
    return false;
  }
}

/** The command line that runs `command` inside the node's network namespace. */
export function inNetns(netns: string, command: string, args: readonly string[]): string[] {
  return [`--net=/run/netns/${netns}`, command, ...args];
}
