/**
 * The I/O a CUE workflow step asks for, as one interface the hub implements (house style §11):
 * the Kubernetes actions go through the hub's renderer and the gateway; `httpActions()`
 * (http-actions.ts) supplies the HTTP one. The runner (evaluate-step.ts) calls these with the
 * values the template evaluated to, already checked for shape, and unifies what they return
 * back into the template.
 *
 * Errors: a thrown error fails the step (reason `Execute`) with the error's message, except in
 * `read`, where, as in KubeVela, any failure is handed to the template as the action's `err`.
 */
import type { JsonObject } from "../../../core/json.js";
import type { Application } from "../../oam/types.js";
import type { PatchAnnotation } from "../../render/patch-annotations.js";

/** Who is asking: the application and step whose template performs the action. */
export interface ActionContext {
  readonly app: Application;
  readonly stepName: string;
  /** The step execution's id (`status.workflow.steps[].id`). */
  readonly stepId: string;
  /** The action's field path in the template, dotted (`apply`, `notify.http`). */
  readonly action: string;
  readonly signal?: AbortSignal;
}

/** `op.#ApplyComponent`: render one of the application's components and apply it. */
export interface ApplyComponentRequest {
  /** The component's name in `spec.components` (KubeVela 1.1's `component:` form). */
  readonly component: string;
  /** KubeVela 1.2's `value:` form: the component itself (name, type, properties, traits). */
  readonly value?: JsonObject;
  /** Target cluster; absent: where the application's policies place the component. */
  readonly cluster?: string;
  /** Target namespace; absent: as the application's policies say. */
  readonly namespace?: string;
  /**
   * A patch for the rendered workload (from `patch:` or the seed's `workload: patch:`), to
   * apply with engine/render/patch.ts's `applyPatch(workload, patch, patchAnnotations)`.
   */
  readonly patch?: JsonObject;
  /** The patch's `+patchKey` / `+patchStrategy` annotations, relative to the patch. */
  readonly patchAnnotations?: readonly PatchAnnotation[];
}

export interface ApplyComponentResult {
  /** The workload as it is in the cluster after the apply (status included). */
  readonly workload: JsonObject;
  /** The auxiliary objects, by output name (the `trait.oam.dev/resource` label), as applied. */
  readonly traits: Record<string, { readonly value: JsonObject }>;
  /** The component's health by its definition's health policy, when the hub knows it. */
  readonly healthy?: boolean;
}

/** `op.#Apply`: server-side apply of one object (namespace: the application's if absent). */
export interface ApplyRequest {
  readonly value: JsonObject;
  /** Absent: the hub cluster (`local`), as KubeVela's `cluster: ""`. */
  readonly cluster?: string;
  /** Unified into `value` with KubeVela's patch strategies before applying. */
  readonly patch?: JsonObject;
}

/** `op.#Read`: get the object that `value` names (apiVersion, kind, metadata.name/namespace). */
export interface ReadRequest {
  readonly value: JsonObject;
  readonly cluster?: string;
}

/** `op.#List`: list objects of one kind. */
export interface ListRequest {
  readonly resource: { readonly apiVersion: string; readonly kind: string };
  readonly namespace?: string;
  readonly matchingLabels?: Record<string, string>;
  readonly cluster?: string;
}

/** `op.#Delete`: delete the named object, or those matching `filter`; absent is not an error. */
export interface DeleteRequest {
  readonly value: JsonObject;
  readonly filter?: {
    readonly namespace?: string;
    readonly matchingLabels?: Record<string, string>;
  };
  readonly cluster?: string;
}

/** `op.#HTTPDo` (and `#HTTPGet`, `#HTTPPost`, …). */
export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly body?: string;
  readonly header?: Record<string, string>;
  /** From `request.timeout` (a Go duration such as `10s`). */
  readonly timeoutMs?: number;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly body: string;
  /** Values by header name (lower case), as Go's `http.Header`. */
  readonly header: Record<string, string[]>;
}

/** `op.#Log`: a message for the step's log (`data` is a string or an object). */
export interface LogEntry {
  readonly data: unknown;
  readonly level: number;
}

export interface WorkflowActions {
  applyComponent(request: ApplyComponentRequest, ctx: ActionContext): Promise<ApplyComponentResult>;
  /** Returns the object as applied (as the API server answered). */
  apply(request: ApplyRequest, ctx: ActionContext): Promise<JsonObject>;
  /** Returns the object, or `undefined` when it does not exist. */
  read(request: ReadRequest, ctx: ActionContext): Promise<JsonObject | undefined>;
  list(request: ListRequest, ctx: ActionContext): Promise<JsonObject[]>;
  delete(request: DeleteRequest, ctx: ActionContext): Promise<void>;
  http(request: HttpRequest, ctx: ActionContext): Promise<HttpResponse>;
  log(entry: LogEntry, ctx: ActionContext): void | Promise<void>;
}

/**
 * Results of actions already performed in this step execution, persisted by the hub (in the
 * workflow context ConfigMap) so that a re-run replays them instead of performing them again.
 * Keys are `<stepId>/<action path>`; values are JSON.
 */
export interface StepMemo {
  get(key: string): unknown;
  set(key: string, value: unknown): void | Promise<void>;
}

/** A memo kept in a plain JSON object (e.g. a key of the persisted workflow context). */
export function memoIn(record: Record<string, unknown>): StepMemo {
  return {
    get: (key) => (Object.hasOwn(record, key) ? structuredClone(record[key]) : undefined),
    set: (key, value) => {
      record[key] = structuredClone(value);
    },
  };
}
