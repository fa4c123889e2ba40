// Preload (`node --import`) that prints `loaded <url>` on stderr for every module the process
// resolves, so a test sees what a program really imports when it starts.
import { register } from "node:module";

register("./record-imports-hooks.js", import.meta.url);
