/**
 * `npm run image`: builds Flotilla's image (or finds it in the cache) and says where it is and
 * how big it is. Exit code 1 with the failing tool's output when the build fails.
 */
import { statSync } from "node:fs";
import { ensureFlotillaImage } from "./flotilla-image.js";

const started = Date.now();
try {
  const image = await ensureFlotillaImage({ log: (line) => process.stderr.write(`${line}\n`) });
  const mib = statSync(image.archive).size / 2 ** 20;
  process.stdout.write(
    `${image.tag}: ${image.archive} (${mib.toFixed(0)} MiB, ${((Date.now() - started) / 1000).toFixed(1)} s)\n` +
      `load it with: podman load -i ${image.archive}   or   ctr -n k8s.io images import ${image.archive}\n`,
  );
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
