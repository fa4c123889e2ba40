/**
 * The Applications of a file for `flotilla up` (pure): every YAML document must be a
 * `core.oam.dev/v1beta1` Application of a valid shape. Each application gets its namespace
 * (the `-n` flag, else its own, else `default`) and loses the fields only a server sets, so a
 * file saved with `kubectl get -o yaml` applies too. Every problem is an `InvalidInputError`
 * naming the file, the document and what is wrong; nothing is applied when one is found.
 */
import { parseAllDocuments } from "yaml";
import { InvalidInputError } from "../../core/errors.js";
import { parseApplication } from "../../engine/oam/manifests.js";
import { isObject, type JsonObject } from "../../core/json.js";
import { type Application } from "../../engine/oam/types.js";

export const APPLICATION_API_VERSION = "core.oam.dev/v1beta1";

/** Metadata only the API server sets; server-side apply rejects or misreads them. */
const serverFields = [
  "resourceVersion",
  "uid",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "generation",
  "managedFields",
  "selfLink",
] as const;

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  return typeof value === "string" ? `the text ${JSON.stringify(value)}` : `a ${typeof value}`;
}

/** One document as an Application, or an error naming `where`. */
function applicationOf(value: unknown, where: string): Application {
  if (!isObject(value)) {
    throw new InvalidInputError(`${where}: expected an Application, got ${describeValue(value)}`);
  }
  if (value.kind !== "Application" || value.apiVersion !== APPLICATION_API_VERSION) {
    const kind = value.kind === undefined ? "no kind" : `kind ${JSON.stringify(value.kind)}`;
    const version =
      value.apiVersion === undefined
        ? "no apiVersion"
        : `apiVersion ${JSON.stringify(value.apiVersion)}`;
    const got = `${kind} (${version})`;
    throw new InvalidInputError(
      `${where}: expected an Application (${APPLICATION_API_VERSION}), got ${got}`,
    );
  }
  try {
    return parseApplication(value, where);
  } catch (error) {
    if (!(error instanceof InvalidInputError) || error.message.startsWith(where)) throw error;
    throw new InvalidInputError(`${where}: ${error.message}`, { cause: error });
  }
}

/** The namespace `app` goes to: `flag`, else its own, else `default`; a clash is an error. */
function namespaceFor(app: Application, flag: string | undefined, where: string): string {
  const own = app.metadata.namespace;
  if (flag !== undefined && own !== undefined && own !== flag) {
    throw new InvalidInputError(
      `${where}: application "${app.metadata.name}" is in namespace "${own}", ` +
        `which does not match -n "${flag}"`,
    );
  }
  return flag ?? own ?? "default";
}

/** `app` ready for server-side apply in `namespace`: no status, no server-set metadata. */
function forApply(app: Application, namespace: string): Application {
  const metadata: JsonObject = { ...app.metadata, namespace };
  for (const field of serverFields) delete metadata[field];
  const copy: JsonObject = { ...app, metadata };
  delete copy.status;
  return copy as unknown as Application;
}

function refuseDuplicates(apps: readonly Application[], source: string): void {
  const seen = new Map<string, number>();
  apps.forEach((app, i) => {
    const key = `${app.metadata.namespace ?? ""}/${app.metadata.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new InvalidInputError(
        `${source}: application "${app.metadata.name}" in namespace ` +
          `"${app.metadata.namespace ?? ""}" appears twice (applications ${first + 1} and ${i + 1})`,
      );
    }
    seen.set(key, i);
  });
}

/**
 * The Applications in `text` (the contents of file `source`), each with its namespace set
 * (see `namespaceFor`) and ready for server-side apply. Empty documents are skipped; a file
 * without any Application is an error.
 */
export function parseApplicationFile(
  text: string,
  source: string,
  namespace?: string,
): Application[] {
  const apps: Application[] = [];
  parseAllDocuments(text).forEach((doc, index) => {
    const where = `${source} (document ${index + 1})`;
    const problem = doc.errors[0];
    if (problem !== undefined) {
      throw new InvalidInputError(`${where}: invalid YAML: ${problem.message}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    const app = applicationOf(value, where);
    apps.push(forApply(app, namespaceFor(app, namespace, where)));
  });
  if (apps.length === 0) throw new InvalidInputError(`${source}: no Application in the file`);
  refuseDuplicates(apps, source);
  return apps;
}
