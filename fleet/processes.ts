/**
 * Child processes of a fleet. Each process writes stdout and stderr to its own log file; a
 * process that exits while the fleet still needs it is reported with the tail of its log.
 *
 * Processes are killed when the parent exits or gets SIGINT/SIGTERM/SIGHUP. Detached
 * processes (the CLI's `fleet up`) get their own process group and, once released with
 * `releaseProcesses`, outlive the parent; `fleet down` stops them by pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import path from "node:path";

export interface StartedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code or signal when the process ends. */
  readonly exited: Promise<string>;
  hasExited(): boolean;
}

/** Raised when a fleet process cannot start or dies during start; includes its log tail. */
export class FleetProcessError extends Error {
  override readonly name = "FleetProcessError";
}

/** The last `lines` lines of a log file, for error messages. */
export function logTail(file: string, lines = 30): string {
  if (!existsSync(file)) return "(no log)";
  const text = readFileSync(file, "utf8").trimEnd().split("\n");
  return text.slice(-lines).join("\n");
}

const attached = new Set<ChildProcess>();
let handlersInstalled = false;

const exitCleanups = new Set<() => unknown>();

function killAttached(): void {
  for (const child of attached) child.kill("SIGKILL");
  attached.clear();
  for (const cleanup of exitCleanups) {
    try {
      cleanup();
    } catch {
      // best effort while exiting; the next fleet start clears what is left
    }
  }
  exitCleanups.clear();
}

/**
 * Registers a synchronous cleanup that runs after attached processes are killed when this
 * process exits or is interrupted (real nodes remove namespaces, mounts and cgroups this way).
 * Returns the function that unregisters it.
 */
export function onExitCleanup(cleanup: () => unknown): () => void {
  installExitHandlers();
  exitCleanups.add(cleanup);
  return () => exitCleanups.delete(cleanup);
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once("exit", killAttached);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      killAttached();
      process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
    });
  }
}

export interface SpawnOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly logDir: string;
  readonly detached?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/** Starts a process with its output going to `<logDir>/<name>.log`. */
export function startProcess(options: SpawnOptions): StartedProcess {
  if (!existsSync(options.command)) {
    throw new FleetProcessError(`binary for ${options.name} not found: ${options.command}`);
  }
  const logFile = path.join(options.logDir, `${options.name}.log`);
  const fd = openSync(logFile, "a");
  const child = spawn(options.command, options.args, {
    stdio: ["ignore", fd, fd],
    detached: options.detached === true,
    env: options.env ?? process.env,
  });
  closeSync(fd);
  let done = false;
  const exited = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => {
      done = true;
      attached.delete(child);
      resolve(signal ?? `exit code ${code}`);
    });
    child.once("error", (error) => {
      done = true;
      resolve(`failed to start: ${error.message}`);
    });
  });
  // Detached processes are tracked too until `releaseProcesses` hands them over, so an
  // interrupted `fleet up` leaves nothing behind.
  if (options.detached === true) child.unref();
  installExitHandlers();
  attached.add(child);
  return { name: options.name, pid: child.pid ?? -1, logFile, exited, hasExited: () => done };
}

/**
 * Stops tracking these processes: they are no longer killed when this process exits. Used
 * once a detached fleet has started completely.
 */
export function releaseProcesses(pids: readonly number[]): void {
  for (const child of attached)
    if (child.pid !== undefined && pids.includes(child.pid)) attached.delete(child);
}

/** True when a process with this pid exists (signal 0 probe). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Stops processes by pid: SIGTERM, then SIGKILL for any still alive after `graceMs`.
 * Idempotent: pids already gone are ignored.
 */
export async function stopPids(pids: readonly number[], graceMs = 5000): Promise<void> {
  const signal = (pid: number, sig: NodeJS.Signals): void => {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  };
  for (const pid of pids) signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(100);
  for (const pid of pids.filter(isAlive)) signal(pid, "SIGKILL");
  while (pids.some(isAlive)) await sleep(50);
}
