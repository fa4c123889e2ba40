/**
 * `npm run fleet:build`: builds (or finds in the cache) the fleet's cluster binaries and Helm,
 * and prints where they are. `.ci/run` calls it before the tests so a cold build is visible on
 * its own.
 */
import { ensureBinaries } from "./build/binaries.js";
import { ensureHelm } from "./build/helm.js";

const log = (line: string): void => console.log(line);
const binaries = await ensureBinaries({ log });
console.log(`[fleet build] binaries ready in ${binaries.dir}`);
const helm = await ensureHelm({ log });
console.log(`[fleet build] helm ready at ${helm}`);
