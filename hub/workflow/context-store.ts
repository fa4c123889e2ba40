/**
 * The workflow context on the hub, as KubeVela keeps it: a ConfigMap
 * `workflow-<app>-context` in the application's namespace, owned by the application (so it
 * goes with it), its `vars` key holding the context as JSON: step outputs by name, the
 * engine's counters (`$flotilla`) and the hub's own record (`$hub`: what steps applied, and
 * the results of side effects already performed, so a restarted hub never repeats them).
 */
import { InvalidInputError } from "../../core/errors.js";
import { isObject, type JsonObject } from "../../core/json.js";
import { contextConfigMapName } from "../../engine/workflow/engine.js";
import { FIELD_MANAGER } from "../dispatch/dispatch.js";
import type { ObjectClient } from "../dispatch/types.js";

const VARS_KEY = "vars";

export interface AppRef {
  readonly name: string;
  readonly namespace: string;
  readonly uid?: string;
}

const ref = (app: AppRef) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  namespace: app.namespace,
  name: contextConfigMapName(app.name),
});

/** The context, `{}` when there is none yet. */
export async function readContext(
  hub: ObjectClient,
  app: AppRef,
): Promise<Record<string, unknown>> {
  const map = await hub.read(ref(app));
  const data = isObject(map?.data) ? map.data : {};
  const vars = data[VARS_KEY];
  if (typeof vars !== "string" || vars === "") return {};
  try {
    const parsed: unknown = JSON.parse(vars);
    return isObject(parsed) ? parsed : {};
  } catch {
    throw new InvalidInputError(
      `ConfigMap ${app.namespace}/${contextConfigMapName(app.name)}: key "${VARS_KEY}" is not JSON`,
    );
  }
}

export async function writeContext(
  hub: ObjectClient,
  app: AppRef,
  context: Record<string, unknown>,
): Promise<void> {
  const { namespace, name } = ref(app);
  const owner =
    app.uid === undefined
      ? {}
      : {
          ownerReferences: [
            {
              apiVersion: "core.oam.dev/v1beta1",
              kind: "Application",
              name: app.name,
              uid: app.uid,
              controller: true,
            },
          ],
        };
  const object: JsonObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name,
      namespace,
      labels: { "app.oam.dev/name": app.name, "app.oam.dev/namespace": namespace },
      ...owner,
    },
    data: { [VARS_KEY]: JSON.stringify(context) },
  };
  await hub.apply(object, { fieldManager: FIELD_MANAGER, force: true });
}
