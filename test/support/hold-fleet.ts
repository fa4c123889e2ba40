/**
 * Runs test/fleet/testdata/hold-fleet.ts as a child process, the owner of a fleet, and waits
 * for the line it prints once the fleet runs: its pids and ports, and with `real`, the plans
 * and pids of its real node.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import type { RealNodePlan } from "../../fleet/real-node/plan.js";

const script = path.join(import.meta.dirname, "..", "fleet", "testdata", "hold-fleet.ts");

export interface HeldFleet {
  readonly child: ChildProcess;
  /** Resolves when the owner has exited. */
  readonly exited: Promise<void>;
  readonly pids: number[];
  readonly ports: number[];
  readonly plans: RealNodePlan[];
  readonly nodePids: number[];
}

export async function holdFleet(mode: "wait" | "exit", real = false): Promise<HeldFleet> {
  const args = ["--import", "tsx", script, mode, ...(real ? ["real"] : [])];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`hold-fleet exited early (${code})`)));
  });
  return { child, exited, ...(JSON.parse(first) as Omit<HeldFleet, "child" | "exited">) };
}
