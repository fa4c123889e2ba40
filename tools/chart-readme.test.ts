import { describe, expect, it } from "vitest";
import {
  descriptionOf,
  END_MARKER,
  renderReadme,
  START_MARKER,
  valueRows,
} from "./chart-readme.js";

const values = [
  "# A header that documents nothing.",
  "",
  "# -- The name.",
  "name: x",
  "hub:",
  "  # -- Replicas,",
  "  # continued here.",
  "  replicas: 2",
  "  # -- Resources, as one row.",
  "  resources:",
  "    limits: { memory: 1Gi }",
  "",
].join("\n");

describe("valueRows", () => {
  it("documents first keys of nested maps, continues comments and keeps documented maps whole", () => {
    expect(valueRows(values)).toEqual([
      { key: "name", type: "string", default: '"x"', description: "The name." },
      { key: "hub.replicas", type: "int", default: "2", description: "Replicas, continued here." },
      {
        key: "hub.resources",
        type: "object",
        default: '{"limits":{"memory":"1Gi"}}',
        description: "Resources, as one row.",
      },
    ]);
  });

  it("refuses an undocumented leaf, naming it", () => {
    expect(() => valueRows("hub:\n  # -- ok\n  a: 1\n  b: 2\n")).toThrow(/"hub\.b"/);
  });
});

describe("descriptionOf", () => {
  it("takes the last `--` paragraph of a comment", () => {
    expect(descriptionOf(" header\n\n -- first\n more")).toBe("first more");
    expect(descriptionOf(" no marker")).toBeUndefined();
  });
});

describe("renderReadme", () => {
  it("replaces what is between the markers and is idempotent", () => {
    const readme = `# t\n\n${START_MARKER}\nold\n${END_MARKER}\nafter\n`;
    const once = renderReadme(readme, values);
    expect(once).not.toContain("old");
    expect(once).toContain("| `hub.replicas` | int | `2` | Replicas, continued here. |");
    expect(once.endsWith(`${END_MARKER}\nafter\n`)).toBe(true);
    expect(renderReadme(once, values)).toBe(once);
  });

  it("fails without markers", () => {
    expect(() => renderReadme("# t\n", values)).toThrow(/markers/);
  });
});
