import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../core/errors.js";
import { parseApplicationFile } from "./manifest.js";

const app = (name: string, extra = ""): string =>
  [
    "apiVersion: core.oam.dev/v1beta1",
    "kind: Application",
    "metadata:",
    `  name: ${name}`,
    extra,
    "spec:",
    "  components:",
    "    - name: web",
    "      type: webservice",
  ]
    .filter((l) => l !== "")
    .join("\n");

const parse = (text: string, namespace?: string) =>
  parseApplicationFile(text, "app.yaml", namespace);

describe("reading Applications for up", () => {
  it("reads every document, sets the namespace and drops server-set fields", () => {
    const exported = app(
      "b",
      "  namespace: prod\n  resourceVersion: '7'\n  uid: u\n  managedFields: []\n  labels: {team: a}",
    );
    const apps = parse(`---\n${app("a")}\n---\n${exported}\nstatus: {status: running}\n---\n`);
    expect(apps.map((a) => [a.metadata.name, a.metadata.namespace])).toEqual([
      ["a", "default"],
      ["b", "prod"],
    ]);
    expect(apps[1]?.metadata).toEqual({ name: "b", namespace: "prod", labels: { team: "a" } });
    expect(apps[1]).not.toHaveProperty("status");
    expect(apps[0]?.spec.components).toEqual([{ name: "web", type: "webservice" }]);
  });

  it("puts applications without a namespace into -n's", () => {
    expect(parse(app("a"), "edge")[0]?.metadata.namespace).toBe("edge");
    expect(parse(app("a", "  namespace: edge"), "edge")[0]?.metadata.namespace).toBe("edge");
    expect(() => parse(app("a", "  namespace: prod"), "edge")).toThrow(
      'app.yaml (document 1): application "a" is in namespace "prod", which does not match -n "edge"',
    );
  });

  it("names the file, the document and the problem", () => {
    const cases: Array<[string, string]> = [
      ["kind: [", "app.yaml (document 1): invalid YAML: "],
      ["- a\n- b", "app.yaml (document 1): expected an Application, got a list"],
      ["just text", 'app.yaml (document 1): expected an Application, got the text "just text"'],
      [
        `${app("a")}\n---\napiVersion: v1\nkind: ConfigMap`,
        'app.yaml (document 2): expected an Application (core.oam.dev/v1beta1), got kind "ConfigMap" (apiVersion "v1")',
      ],
      [
        app("a").replace("v1beta1", "v1alpha2"),
        'got kind "Application" (apiVersion "core.oam.dev/v1alpha2")',
      ],
      [
        "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {}\nspec: {}",
        "app.yaml (document 1): metadata.name: required; spec.components: required list",
      ],
      [
        app("a").replace("type: webservice", "properties: 3"),
        'app.yaml (document 1): application "a": spec.components[0].type: required',
      ],
      ["", "app.yaml: no Application in the file"],
      [
        `${app("a")}\n---\n${app("a")}`,
        'app.yaml: application "a" in namespace "default" appears twice (applications 1 and 2)',
      ],
    ];
    for (const [text, message] of cases) {
      let thrown: unknown;
      try {
        parse(text);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, text).toBeInstanceOf(InvalidInputError);
      expect((thrown as Error).message, text).toContain(message);
    }
  });
});
