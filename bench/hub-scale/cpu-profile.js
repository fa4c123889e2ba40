/**
 * Preloaded into the hub process (NODE_OPTIONS=--import <this file>) when
 * BENCH_HUB_SCALE_CPU_PROF names a directory: records a V8 CPU profile from start to exit and
 * writes it there as `hub-<pid>.cpuprofile` (open it in Chrome DevTools or speedscope). Node 20
 * does not take `--cpu-prof` in NODE_OPTIONS; the in-process inspector session answers
 * synchronously, so the profile can be written from the `exit` handler.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import inspector from "node:inspector";
import path from "node:path";

const dir = process.env.BENCH_HUB_SCALE_CPU_PROF;
if (dir !== undefined && dir !== "") {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  process.once("exit", () => {
    session.post("Profiler.stop", (error, result) => {
      if (error !== null || result === undefined) return;
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `hub-${process.pid}.cpuprofile`);
      writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}
