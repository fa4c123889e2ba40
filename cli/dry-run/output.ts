/**
 * How `flotilla dry-run` prints rendered objects (pure): YAML documents grouped per target
 * under a comment naming cluster, namespace and replica key, or a JSON array of
 * `{ target, object }`. The same input always prints the same bytes.
 */
import { stringify } from "yaml";
import type { RenderedObject } from "../../engine/render/render.js";

export type OutputFormat = "yaml" | "json";

const targetLabel = (o: RenderedObject): string =>
  `cluster=${o.target.cluster} namespace=${o.target.namespace}` +
  (o.target.pool !== undefined
    ? ` pool=${o.target.pool.name}`
    : o.target.replicaKey === ""
      ? ""
      : ` replicaKey=${o.target.replicaKey}`);

export function formatRendered(objects: readonly RenderedObject[], format: OutputFormat): string {
  if (format === "json") {
    return (
      JSON.stringify(
        objects.map((o) => ({ target: o.target, object: o.object })),
        null,
        2,
      ) + "\n"
    );
  }
  const docs: string[] = [];
  let current = "";
  for (const rendered of objects) {
    const label = targetLabel(rendered);
    const header = label === current ? "" : `# target: ${label}\n`;
    current = label;
    docs.push(`---\n${header}${stringify(rendered.object, { lineWidth: 0 })}`);
  }
  return docs.join("");
}
