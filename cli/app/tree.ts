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
 */

/** One row of the tree: an applied resource and what its cluster says about it. */
export interface TreeRow {
  readonly cluster: string;
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

/** The connector: a character joined to the left and right by `─` where linked, else spaces. */
export function connector(links: Links): string {
  const index = (links.up ? 8 : 0) + (links.down ? 4 : 0) + (links.left ? 2 : 0);
  const char = BOXES[index + (links.right ? 1 : 0)] ?? " ";
  return `${links.left ? "─" : " "}${char}${links.right ? "─" : " "}`;
}

const groupOf = (apiVersion: string): string =>
  apiVersion.includes("/") ? (apiVersion.split("/")[0] ?? "") : "";

const sortKey = (r: TreeRow): string[] => [
  r.cluster,
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

/** A sorted row with its labels and connectors decided. */
interface PlacedRow {
  readonly row: TreeRow;
  readonly clusterLabel: string;
  readonly namespaceLabel: string;
  readonly clusterLinks: Links;
  readonly namespaceLinks: Links;
}

/** For each row: does the cluster's vertical line pass through or end at it? */
function clusterLineAt(
  newCluster: readonly boolean[],
  newNamespace: readonly boolean[],
): boolean[] {
  const open: boolean[] = newCluster.map(() => false);
  for (let i = newCluster.length - 1; i >= 0; i--) {
    const startsLaterNamespace = newNamespace[i] === true && newCluster[i] === false;
    const continues =
      i + 1 < newCluster.length && newCluster[i + 1] === false && open[i + 1] === true;
    open[i] = startsLaterNamespace || continues;
  }
  return open.map((o, i) => o && newCluster[i] === false);
}

function place(rows: readonly TreeRow[]): PlacedRow[] {
  const sorted = [...rows].sort(compareRows);
  const newCluster = sorted.map((r, i) => i === 0 || sorted[i - 1]?.cluster !== r.cluster);
  const newNamespace = sorted.map(
    (r, i) => newCluster[i] === true || sorted[i - 1]?.namespace !== r.namespace,
  );
  const clusterUp = clusterLineAt(newCluster, newNamespace);
  const namespaceUp = newNamespace.map((n) => !n);
  return sorted.map((row, i) => {
    const showCluster = newCluster[i] === true;
    const showNamespace = newNamespace[i] === true;
    return {
      row,
      clusterLabel: showCluster ? row.cluster : "",
      namespaceLabel: showNamespace ? row.namespace : "",
      clusterLinks: {
        up: clusterUp[i] === true,
        down: clusterUp[i + 1] === true,
        left: showCluster,
        right: showNamespace,
      },
      namespaceLinks: {
        up: namespaceUp[i] === true,
        down: namespaceUp[i + 1] === true,
        left: showNamespace,
        right: true,
      },
    };
  });
}

const widthOf = (values: readonly string[]): number =>
  Math.max(MIN_WIDTH, ...values.map((v) => v.length + 1));

/** `head`, spaces, then `tail`, together `width` wide (never cut). */
const padded = (head: string, tail: string, width: number): string =>
  head + " ".repeat(Math.max(0, width - head.length - tail.length)) + tail;

/**
 * The lines of the tree: a header (CLUSTER, NAMESPACE, RESOURCE, STATUS, APPLY_TIME, and
 * DETAIL when `detail`), then one line per row. Lines carry no trailing spaces.
 */
export function treeLines(rows: readonly TreeRow[], options: { detail: boolean }): string[] {
  const placed = place(rows);
  const resource = (r: TreeRow): string => `${r.kind}/${r.name}`;
  const widths: readonly [number, number, number, number, number] = [
    widthOf(placed.map((p) => p.clusterLabel)) + CONNECTOR_WIDTH,
    widthOf(placed.map((p) => p.namespaceLabel)) + CONNECTOR_WIDTH,
    widthOf(placed.map((p) => resource(p.row))),
    widthOf(placed.map((p) => p.row.status)),
    APPLY_TIME_WIDTH,
  ];
  const titles = ["CLUSTER", "NAMESPACE", "RESOURCE", "STATUS", "APPLY_TIME"];
  const header = titles.map((title, i) => padded(title, "", widths[i] ?? 0)).join("");
  const lines = placed.map((p) =>
    [
      padded(p.clusterLabel, `${connector(p.clusterLinks)} `, widths[0]),
      padded(p.namespaceLabel, `${connector(p.namespaceLinks)} `, widths[1]),
      padded(resource(p.row), "", widths[2]),
      padded(p.row.status, "", widths[3]),
      padded(p.row.applyTime, "", widths[4]),
      options.detail ? p.row.detail : "",
    ].join(""),
  );
  return [header + (options.detail ? "DETAIL" : ""), ...lines].map((l) => l.trimEnd());
}
