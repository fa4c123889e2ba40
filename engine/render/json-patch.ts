/**
 * RFC 7386 JSON Merge Patch and RFC 6902 JSON Patch over JSON values, with the lenient edges
 * of evanphx/json-patch (the library KubeVela applies `jsonPatch` traits with): negative list
 * indices, `replace` of a missing member adds it, `copy`/`test` read a missing value as null.
 *
 * Objects are built with `Object.fromEntries` or `defineProperty`, never by assignment, so a
 * key such as `__proto__` stays an ordinary own key instead of changing a prototype.
 */
import { InvalidInputError } from "../../core/errors.js";
import { isJsonMap, type JsonArray, type JsonMap, type JsonValue } from "../../core/json.js";
import { cloneJson, isJsonPrimitive, jsonEqual, jsonObject, member, setMember } from "./json.js";

/**
 * RFC 7386 JSON Merge Patch of `target` by `patch` (pure). A non-object patch replaces the
 * target; an object patch merges into the target (a missing or non-object target counts as
 * `{}`), a `null` member deletes that key, and arrays are replaced whole, never merged.
 */
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonMap(patch)) return cloneJson(patch);
  const base = isJsonMap(target) ? target : {};
  const kept = Object.entries(base)
    .filter(([key]) => member(patch, key) === undefined)
    .map(([key, value]): [string, JsonValue] => [key, cloneJson(value)]);
  const merged = Object.entries(patch)
    .filter(([, value]) => value !== null)
    .map(([key, value]): [string, JsonValue] => [key, applyMergePatch(member(base, key), value)]);
  // Keys keep their place in the target; keys new to the target follow in patch order.
  const order = [...Object.keys(base), ...Object.keys(patch)];
  const all = new Map([...kept, ...merged]);
  return jsonObject(
    [...new Set(order)].flatMap((key) => {
      const value = all.get(key);
      return value === undefined ? [] : [[key, value] as const];
    }),
  );
}

/**
 * An RFC 6902 JSON Patch that cannot be applied: a malformed operation, a path that does not
 * exist, or a failed `test`. `operation` is the index of the failing operation (-1 when the
 * operation list itself is malformed).
 */
export class JsonPatchError extends InvalidInputError {
  readonly operation: number;
  constructor(operation: number, problem: string) {
    super(operation < 0 ? problem : `JSON patch operation ${operation}: ${problem}`);
    this.name = "JsonPatchError";
    this.operation = operation;
  }
}

type Container = JsonMap | JsonArray;
interface Operation {
  readonly op: string;
  readonly path: string;
  readonly from: string;
  readonly value: JsonValue;
}

/**
 * Applies RFC 6902 operations (add, remove, replace, move, copy, test) to a copy of
 * `document` and returns the copy (pure). KubeVela applies these with evanphx/json-patch, so
 * its lenient edges are kept on purpose, for templates written against KubeVela to behave the
 * same: `replace` of a missing object member adds it; `test` and `copy` read a missing
 * location as null; array indices may be negative, counting from the end (for `add`, -1
 * appends); an operation without `value` uses null; `add` and `remove` at the root ("")
 * fail. Throws JsonPatchError for everything else the RFC rejects.
 */
export function applyJsonPatch(document: JsonValue, operations: JsonValue): JsonValue {
  if (!Array.isArray(operations)) throw new JsonPatchError(-1, "operations must be a list");
  // The document sits in a one-element box so that the root has a parent like any other node.
  const box: JsonArray = [cloneJson(document)];
  operations.forEach((raw, index) => {
    const operation = decodeOperation(raw, index);
    try {
      applyOperation(box, operation);
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      throw new JsonPatchError(index, `${operation.op} "${operation.path}": ${problem}`);
    }
  });
  return box[0] ?? null;
}

function decodeOperation(raw: JsonValue, index: number): Operation {
  if (!isJsonMap(raw)) throw new JsonPatchError(index, "an operation must be an object");
  const op = member(raw, "op");
  const path = member(raw, "path");
  const from = member(raw, "from");
  if (typeof op !== "string") throw new JsonPatchError(index, 'missing "op"');
  if (typeof path !== "string") throw new JsonPatchError(index, 'missing "path"');
  if ((op === "move" || op === "copy") && typeof from !== "string") {
    throw new JsonPatchError(index, `${op} needs "from"`);
  }
  return {
    op,
    path,
    from: typeof from === "string" ? from : "",
    value: member(raw, "value") ?? null,
  };
}

function applyOperation(box: JsonArray, operation: Operation): void {
  const { op, path, from, value } = operation;
  switch (op) {
    case "add":
      return add(box, path, cloneJson(value));
    case "remove":
      return void remove(box, path);
    case "replace":
      return replace(box, path, cloneJson(value));
    case "move":
      return move(box, from, path);
    case "copy":
      return add(box, path, cloneJson(read(box, from) ?? null));
    case "test":
      return test(box, path, value);
    default:
      throw new Error(`unknown operation "${op}"`);
  }
}

function move(box: JsonArray, from: string, path: string): void {
  if (path.startsWith(`${from}/`)) throw new Error(`cannot move "${from}" into itself`);
  add(box, path, remove(box, from));
}

function test(box: JsonArray, path: string, value: JsonValue): void {
  if (!jsonEqual(read(box, path) ?? null, value)) {
    throw new Error(`test failed: the value is not ${JSON.stringify(value)}`);
  }
}

/** The tokens of a JSON Pointer (RFC 6901), prefixed with the box index of the document. */
function tokens(pointer: string): string[] {
  if (pointer === "") return ["0"];
  if (!pointer.startsWith("/")) throw new Error(`"${pointer}" is not a JSON pointer`);
  const parts = pointer.slice(1).split("/");
  return ["0", ...parts.map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))];
}

/** An array index: digits, optionally negative (counting from the end), within bounds. */
function arrayIndex(token: string, length: number, forAdd: boolean): number | undefined {
  if (forAdd && token === "-") return length;
  if (!/^-?\d+$/.test(token)) return undefined;
  const size = forAdd ? length + 1 : length;
  const raw = Number(token);
  const index = raw < 0 ? raw + size : raw;
  return index >= 0 && index < size ? index : undefined;
}

function child(container: Container, token: string): JsonValue | undefined {
  if (!Array.isArray(container)) return member(container, token);
  const index = arrayIndex(token, container.length, false);
  return index === undefined ? undefined : container[index];
}

function read(box: JsonArray, pointer: string): JsonValue | undefined {
  let current: JsonValue | undefined = box;
  for (const token of tokens(pointer)) {
    if (isJsonPrimitive(current) || current === undefined) return undefined;
    current = child(current, token);
  }
  return current;
}

/** The container holding the pointer's last token; every node above it must exist. */
function parentOf(box: JsonArray, pointer: string): { parent: Container; token: string } {
  const all = tokens(pointer);
  let parent: Container = box;
  for (const token of all.slice(0, -1)) {
    const next = child(parent, token);
    if (next === undefined || isJsonPrimitive(next)) throw new Error("the path does not exist");
    parent = next;
  }
  return { parent, token: all.at(-1) ?? "0" };
}

function add(box: JsonArray, pointer: string, value: JsonValue): void {
  if (pointer === "") throw new Error("cannot add at the document root");
  const { parent, token } = parentOf(box, pointer);
  if (!Array.isArray(parent)) return setMember(parent, token, value);
  const index = arrayIndex(token, parent.length, true);
  if (index === undefined) throw new Error(`"${token}" is not a valid index`);
  parent.splice(index, 0, value);
}

function remove(box: JsonArray, pointer: string): JsonValue {
  if (pointer === "") throw new Error("cannot remove the document root");
  const { parent, token } = parentOf(box, pointer);
  const found = child(parent, token);
  if (found === undefined) throw new Error("the path does not exist");
  if (Array.isArray(parent)) parent.splice(arrayIndex(token, parent.length, false) ?? 0, 1);
  else delete parent[token];
  return found;
}

function replace(box: JsonArray, pointer: string, value: JsonValue): void {
  const { parent, token } = parentOf(box, pointer);
  if (!Array.isArray(parent)) return setMember(parent, token, value);
  const index = arrayIndex(token, parent.length, false);
  if (index === undefined) throw new Error(`"${token}" is not a valid index`);
  parent[index] = value;
}
