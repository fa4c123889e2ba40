/**
 * The layout of `flotilla status --tree` (pure), following KubeVela's resource tree
 * (`pkg/resourcetracker/tree.go` and `utils.GetBoxDrawingString`):
 *
 * - rows are sorted by cluster, namespace, then API group, kind and name;
 * - a cluster's and a namespace's name are printed on their first row only;
 * - each of the two columns ends in a box-drawing connector (`─┬─`, ` ├─`, ` └─`, `───`, ` │ `)
 *   right-aligned in the column, so a namespace branches off its cluster and resources off
 *   their namespace; the cluster's vertical line stops at its last namespace;
 * - CLUSTER and NAMESPACE are at least 10 wide plus 4 for the connector, RESOURCE and STATUS
 *   at least 10, each as wide as its longest value plus one space; APPLY_TIME is 20 wide;
 *   DETAIL (with `--detail`) takes the rest of the line.
 *
 * Flotilla adds one level for edge node pools: when some row is a copy delivered to a pool,
 * a NODEPOOL column (same rules as CLUSTER) sits between CLUSTER and NAMESPACE, so the tree
 * reads cluster → pool → namespace → resource; rows of no pool are under `-`. Without pool
 * rows the layout is KubeVela's, unchanged.
 */

/** One row of the tree: an applied resource and what its cluster says about it. */
export interface TreeRow {
  readonly cluster: string;
  /** The node pool of a pool copy with its readiness (`beijing (Ready)`); absent otherwise. */
  readonly pool?: string;
  /** `-` for a cluster-scoped resource. */
  readonly namespace: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** `updated` (exists), `missing` (not found) or `unknown` (its cluster cannot be reached). */
  readonly status: TreeStatus;
  /** `2006-01-02 15:04:05`, or "" when not known. */
  readonly applyTime: string;
  readonly detail: string;
}

export type TreeStatus = "updated" | "missing" | "unknown";

const APPLY_TIME_WIDTH = 20;
const MIN_WIDTH = 10;
const CONNECTOR_WIDTH = 4;

/** Box-drawing characters indexed by up·8 + down·4 + left·2 + right·1. */
const BOXES = " ╶╴─╷┌┐┬╵└┘┴│├┤┼";

interface Links {
  readonly up: boolean;
  readonly down: boolean;
  readonly left: boolean;
  readonly right: boolean;
}

const NO_LINKS: Links = { up: false, down: false, left: false, right: false };

/** The connector: a character joined to the left and right by `─` where linked, else spaces. */
export function connector(links: Links): string {
  const index = (links.up ? 8 : 0) + (links.down ? 4 : 0) + (links.left ? 2 : 0);
  const char = BOXES[index + (links.right ? 1 : 0)] ?? " ";
  return `${links.left ? "─" : " "}${char}${links.right ? "─" : " "}`;
}

const groupOf = (apiVersion: string): string =>
  apiVersion.includes("/") ? (apiVersion.split("/")[0] ?? "") : "";

/** The pool column's value for a row of no pool. */
const NO_POOL = "-";

/** The tree's levels, outermost first: each names the group a row belongs to. */
type Level = (row: TreeRow) => string;

const clusterLevel: Level = (r) => r.cluster;
const poolLevel: Level = (r) => r.pool ?? NO_POOL;
const namespaceLevel: Level = (r) => r.namespace;

const sortKey = (r: TreeRow): string[] => [
  r.cluster,
  r.pool ?? "",
  r.namespace,
  groupOf(r.apiVersion),
  r.kind,
  r.name,
];

/** Code-unit order, as Go's `<` on strings (independent of the locale). */
function compareRows(a: TreeRow, b: TreeRow): number {
  const [ka, kb] = [sortKey(a).join("\u0000"), sortKey(b).join("\u0000")];
  if (ka === kb) return 0;
  return ka < kb ? -1 : 1;
}

/** A sorted row with, per level, its label (first row of a group only) and connector. */
interface PlacedRow {
  readonly row: TreeRow;
  readonly labels: readonly string[];
  readonly links: readonly Links[];
}

/**
 * For each row: does a level's vertical line pass through or end at it? `starts` marks rows
 * that open a group of that level, `childStarts` rows that open a group one level deeper.
 */
function lineAt(starts: readonly boolean[], childStarts: readonly boolean[]): boolean[] {
  const open: boolean[] = starts.map(() => false);
  for (let i = starts.length - 1; i >= 0; i--) {
    const startsLaterChild = childStarts[i] === true && starts[i] === false;
    const continues = i + 1 < starts.length && starts[i + 1] === false && open[i + 1] === true;
    open[i] = startsLaterChild || continues;
  }
  return open.map((o, i) => o && starts[i] === false);
}

function place(rows: readonly TreeRow[], levels: readonly Level[]): PlacedRow[] {
  const sorted = [...rows].sort(compareRows);
  // A row opens a group of level k when it differs from the previous row at level k or above.
  const starts = levels.map((_, k) =>
    sorted.map((r, i) => {
      const before = sorted[i - 1];
      return before === undefined || levels.slice(0, k + 1).some((key) => key(before) !== key(r));
    }),
  );
  const everyRow = sorted.map(() => true); // each resource is a child of its namespace
  const lines = starts.map((s, k) => lineAt(s, starts[k + 1] ?? everyRow));
  return sorted.map((row, i) => ({
    row,
    labels: levels.map((key, k) => (starts[k]?.[i] === true ? key(row) : "")),
    links: levels.map((_, k) => ({
      up: lines[k]?.[i] === true,
      down: lines[k]?.[i + 1] === true,
      left: starts[k]?.[i] === true,
      right: (starts[k + 1] ?? everyRow)[i] === true,
    })),
  }));
}

const widthOf = (values: readonly string[]): number =>
  Math.max(MIN_WIDTH, ...values.map((v) => v.length + 1));

/** `head`, spaces, then `tail`, together `width` wide (never cut). */
const padded = (head: string, tail: string, width: number): string =>
  head + " ".repeat(Math.max(0, width - head.length - tail.length)) + tail;

/**
 * The lines of the tree: a header (CLUSTER, NODEPOOL when some row is a pool copy, NAMESPACE,
 * RESOURCE, STATUS, APPLY_TIME, and DETAIL when `detail`), then one line per row. Lines carry
 * no trailing spaces.
 */
export function treeLines(rows: readonly TreeRow[], options: { detail: boolean }): string[] {
  const pooled = rows.some((r) => r.pool !== undefined);
  const levels = pooled
    ? [clusterLevel, poolLevel, namespaceLevel]
    : [clusterLevel, namespaceLevel];
  const titles = pooled ? ["CLUSTER", "NODEPOOL", "NAMESPACE"] : ["CLUSTER", "NAMESPACE"];
  const placed = place(rows, levels);
  const resource = (r: TreeRow): string => `${r.kind}/${r.name}`;
  const levelWidths = levels.map(
    (_, k) => widthOf(placed.map((p) => p.labels[k] ?? "")) + CONNECTOR_WIDTH,
  );
  const widths = [
    ...levelWidths,
    widthOf(placed.map((p) => resource(p.row))),
    widthOf(placed.map((p) => p.row.status)),
    APPLY_TIME_WIDTH,
  ];
  const header = [...titles, "RESOURCE", "STATUS", "APPLY_TIME"]
    .map((title, i) => padded(title, "", widths[i] ?? 0))
    .join("");
  const lines = placed.map((p) => {
    const tree = levels.map((_, k) =>
      padded(p.labels[k] ?? "", `${connector(p.links[k] ?? NO_LINKS)} `, levelWidths[k] ?? 0),
    );
    const cells = [resource(p.row), p.row.status, p.row.applyTime];
    const rest = cells.map((cell, i) => padded(cell, "", widths[levels.length + i] ?? 0));
    return [...tree, ...rest, options.detail ? p.row.detail : ""].join("");
  });
  return [header + (options.detail ? "DETAIL" : ""), ...lines].map((l) => l.trimEnd());
}
