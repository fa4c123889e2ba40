/**
 * Multi-document YAML as Kubernetes tools read it: each non-empty document must be a mapping
 * (an object), and a problem names the source and the document's position.
 */
import { parseAllDocuments } from "yaml";
import { InvalidInputError } from "./errors.js";
import { isObject, type JsonObject } from "./json.js";

/** A document of a file, with where it came from (`<source> (document <n>)`) for messages. */
export interface YamlDocument {
  readonly value: JsonObject;
  readonly where: string;
}

/**
 * The objects in `text`, empty documents skipped. Invalid YAML or a document that is not a
 * mapping is an `InvalidInputError` naming `source` and the document's number.
 */
export function parseYamlDocuments(text: string, source: string): YamlDocument[] {
  const result: YamlDocument[] = [];
  parseAllDocuments(text).forEach((doc, index) => {
    const where = `${source} (document ${index + 1})`;
    if (doc.errors.length > 0) {
      throw new InvalidInputError(`${where}: invalid YAML: ${doc.errors[0]?.message ?? ""}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    if (!isObject(value)) throw new InvalidInputError(`${where}: expected a Kubernetes object`);
    result.push({ value, where });
  });
  return result;
}
