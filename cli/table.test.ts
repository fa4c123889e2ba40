import { describe, expect, it } from "vitest";
import { formatTable } from "./table.js";

describe("formatTable", () => {
  it("pads every column to its widest cell and trims line ends", () => {
    expect(
      formatTable(
        ["NAME", "NODES"],
        [
          ["member-1", "2"],
          ["a", ""],
        ],
      ),
    ).toBe(["NAME       NODES", "member-1   2", "a"].join("\n"));
  });
});
