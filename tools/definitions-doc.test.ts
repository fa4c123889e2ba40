import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { definitionsDocFile, generateDefinitionsDoc } from "./definitions-doc.js";

describe("docs/definitions.md", () => {
  it("is up to date with definitions/ (run npm run docs:definitions)", async () => {
    const generated = await generateDefinitionsDoc();
    expect(generated).toContain("### webservice");
    expect(await readFile(definitionsDocFile, "utf8")).toBe(generated);
  });
});
