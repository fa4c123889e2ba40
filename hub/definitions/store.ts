/**
 * Definitions the hub renders with: the built-ins, then the definition custom resources in
 * `vela-system`, then those in the application's own namespace (later ones replace earlier
 * ones of the same kind and name, as KubeVela resolves them). The four kinds are watched on
 * the hub with informers; the set of a namespace is built once per change, so the render
 * cache (keyed by set identity) stays warm between changes. A definition resource that cannot
 * be read is logged and left out; an application using it then fails to render with a message
 * naming the unknown type.
 */
import { CustomObjectsApi, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import type { Clock } from "../../core/controller/clock.js";
import { createInformer, type Informer } from "../../core/controller/informer.js";
import { errorText, type Logger } from "../../core/controller/logger.js";
import { parseDefinition } from "../../engine/oam/manifests.js";
import type { JsonObject } from "../../core/json.js";
import type { Definition, DefinitionKind } from "../../engine/oam/types.js";
import { definitionSet, type DefinitionSet } from "../../engine/render/definition-set.js";

export const SYSTEM_NAMESPACE = "vela-system";

const kinds: ReadonlyArray<{ kind: DefinitionKind; plural: string }> = [
  { kind: "ComponentDefinition", plural: "componentdefinitions" },
  { kind: "TraitDefinition", plural: "traitdefinitions" },
  { kind: "PolicyDefinition", plural: "policydefinitions" },
  { kind: "WorkflowStepDefinition", plural: "workflowstepdefinitions" },
];

export interface DefinitionStore {
  start(): Promise<void>;
  stop(): Promise<void>;
  synced(): boolean;
  /** The set for applications in `namespace` (the same object until a definition changes). */
  setFor(namespace: string): DefinitionSet;
}

export interface DefinitionStoreOptions {
  readonly hub: KubeConfig;
  readonly builtins: readonly Definition[];
  readonly clock: Clock;
  readonly log: Logger;
  /** Called with the namespace of a definition that was added, changed or removed. */
  readonly onChange: (namespace: string) => void;
}

function readDefinition(object: KubernetesObject, kind: DefinitionKind, log: Logger) {
  const where = `cluster:${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`;
  try {
    return [parseDefinition({ ...(object as JsonObject), kind }, where)];
  } catch (error) {
    log.warn("ignoring a definition", { kind, where, error: errorText(error) });
    return [];
  }
}

export function createDefinitionStore(options: DefinitionStoreOptions): DefinitionStore {
  const api = options.hub.makeApiClient(CustomObjectsApi);
  const sets = new Map<string, DefinitionSet>();
  // vela-system's definitions, read once per change and shared by every namespace's set.
  let system: Definition[] | undefined;
  const informers: Array<{ kind: DefinitionKind; informer: Informer<KubernetesObject> }> =
    kinds.map(({ kind, plural }) => {
      const informer: Informer<KubernetesObject> = createInformer<KubernetesObject>({
        kubeconfig: options.hub,
        path: `/apis/core.oam.dev/v1beta1/${plural}`,
        list: () =>
          api.listClusterCustomObject({ group: "core.oam.dev", version: "v1beta1", plural }),
        enqueue: (key) => {
          sets.clear();
          system = undefined;
          options.onChange(key.includes("/") ? key.slice(0, key.indexOf("/")) : "");
        },
        clock: options.clock,
        log: options.log,
      });
      return { kind, informer };
    });
  const inNamespace = (namespace: string): Definition[] =>
    informers.flatMap(({ kind, informer }) =>
      informer
        .list()
        .filter((o) => o.metadata?.namespace === namespace)
        .flatMap((o) => readDefinition(o, kind, options.log)),
    );
  return {
    start: async () => {
      await Promise.all(informers.map(({ informer }) => informer.start()));
    },
    stop: async () => {
      await Promise.all(informers.map(({ informer }) => informer.stop()));
    },
    synced: () => informers.every(({ informer }) => informer.hasSynced()),
    setFor(namespace) {
      let set = sets.get(namespace);
      if (set === undefined) {
        system ??= inNamespace(SYSTEM_NAMESPACE);
        const own = namespace === SYSTEM_NAMESPACE ? [] : inNamespace(namespace);
        set = definitionSet(options.builtins, system, own);
        sets.set(namespace, set);
      }
      return set;
    },
  };
}
