/**
 * `npm run fleet:build`: builds (or finds in the cache) the fleet's cluster binaries and prints
 * where they are. `.ci/run` calls it before the tests so a cold build is visible on its own.
 */
import { ensureBinaries } from "./build/binaries.js";

const binaries = await ensureBinaries({ log: (line) => console.log(line) });
console.log(`[fleet build] binaries ready in ${binaries.dir}`);
