/**
 * Flotilla's `vela/op`: the actions a WorkflowStepDefinition's CUE template can use, with
 * KubeVela's names and field shapes (kubevela/kubevela `pkg/stdlib/op.cue` and
 * `pkg/stdlib/pkgs/*.cue`). cue-wasm cannot resolve custom packages, so the step program
 * removes `import "vela/op"` and declares this library as `let op = { … }` instead.
 *
 * Each action carries KubeVela's markers `#do` (what to perform) and `#provider`. The runner
 * finds actions by selecting `#do` into a regular field, so the markers themselves are never
 * exported. Fields the runner fills in after performing an action (`workload`, `traits`,
 * `value` of a read, `response`, `err`, `list`) are optional here, so that an action not yet
 * performed exports without them.
 */

/** The `#do` of every action the runner performs (`steps` groups nested actions). */
export const ACTION_KINDS = [
  "wait",
  "fail",
  "suspend",
  "log",
  "steps",
  "component-apply",
  "apply",
  "read",
  "list",
  "delete",
  "do",
] as const;

export type ActionKind = (typeof ACTION_KINDS)[number];

export const isActionKind = (value: unknown): value is ActionKind =>
  typeof value === "string" && (ACTION_KINDS as readonly string[]).includes(value);

/** The CUE declarations of `op.#…`, as the body of a struct. */
const definitions = `
#ConditionalWait: {
	#do:      "wait"
	continue: bool
	message?: string
	...
}
#Fail: {
	#do:      "fail"
	message?: string
	...
}
#Suspend: {
	#do:       "suspend"
	duration?: string
	message?:  string
	...
}
#Log: {
	#do:   "log"
	data?: _
	level: *3 | int
	...
}
#Steps: {
	#do: "steps"
	...
}
#ApplyComponent: {
	#do:         "component-apply"
	#provider:   "oam"
	component?:  string
	value?: {...}
	cluster:     *"" | string
	namespace:   *"" | string
	waitHealthy: *false | bool
	patch?: {...}
	workload?: {...}
	traits?: [string]: {...}
	output?: {...}
	outputs?: [string]: {...}
	isHealth?: bool
	...
}
#Apply: {
	#do:       "apply"
	#provider: "kube"
	cluster:   *"" | string
	value: {...}
	patch?: {...}
	...
}
#Read: {
	#do:       "read"
	#provider: "kube"
	cluster:   *"" | string
	value: {...}
	err?: string
	...
}
#List: {
	#do:       "list"
	#provider: "kube"
	cluster:   *"" | string
	resource: {
		apiVersion: string
		kind:       string
	}
	filter?: {
		namespace?: *"" | string
		matchingLabels?: [string]: string
	}
	list?: {...}
	...
}
#Delete: {
	#do:       "delete"
	#provider: "kube"
	cluster:   *"" | string
	value: {
		apiVersion: string
		kind:       string
		metadata: {
			name?:      string
			namespace?: string
			...
		}
		...
	}
	filter?: {
		namespace?: string
		matchingLabels?: [string]: string
	}
	...
}
#HTTPDo: {
	#do:       "do"
	#provider: "http"
	method:    *"GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD"
	url:       string
	request?: {
		timeout?: string
		body?:    string
		header?: [string]: string
		...
	}
	response?: {
		body:       string
		statusCode: int
		header?: [string]: [...string]
		...
	}
	...
}
#HTTPGet:    #HTTPDo & {method: "GET"}
#HTTPPost:   #HTTPDo & {method: "POST"}
#HTTPPut:    #HTTPDo & {method: "PUT"}
#HTTPDelete: #HTTPDo & {method: "DELETE"}
`;

/**
 * File-level CUE declaring the library under `name` (`op`, or the import's alias). The
 * hidden field keeps CUE from rejecting the `let` when a template does not use it.
 */
export function opLibrary(name = "op"): string {
  return `let ${name} = {${definitions}}\n_flotillaUses${name}: ${name}\n`;
}
