import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../core/errors.js";
import { parseManifests } from "./manifests.js";

describe("parseManifests", () => {
  it("reads an Application and the v1alpha2 TraitDefinition of the talk seed", () => {
    const text = `
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: a }
spec:
  components:
    - name: c
      type: webservice
      properties: { image: nginx }
---
apiVersion: core.oam.dev/v1alpha2
kind: TraitDefinition
metadata:
  name: sidecar
  annotations: { definition.oam.dev/description: add sidecar }
spec:
  appliesToWorkloads: [webservice, worker]
  extension:
    template: |
      patch: spec: replicas: 1
`;
    const m = parseManifests(text, "seed.yaml");
    expect(m.applications.map((a) => a.metadata.name)).toEqual(["a"]);
    expect(m.definitions[0]).toMatchObject({
      kind: "TraitDefinition",
      name: "sidecar",
      description: "add sidecar",
      appliesToWorkloads: ["webservice", "worker"],
      cueTemplate: "patch: spec: replicas: 1\n",
    });
  });

  it("names the application and every bad field", () => {
    const text = `
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: shop }
spec:
  components:
    - name: web
    - name: web
      type: worker
      traits: [{ properties: {} }]
`;
    expect(() => parseManifests(text, "app.yaml")).toThrow(InvalidInputError);
    expect(() => parseManifests(text, "app.yaml")).toThrow(
      'application "shop": spec.components[0].type: required; spec.components[1].traits[0].type: required; spec.components[1].name: duplicate component "web"',
    );
  });

  it("rejects a definition without a template, naming it", () => {
    const text =
      "apiVersion: core.oam.dev/v1beta1\nkind: ComponentDefinition\nmetadata: { name: empty }\nspec: {}\n";
    expect(() => parseManifests(text, "d.yaml")).toThrow(
      /ComponentDefinition "empty" \(d.yaml \(document 1\)\): no spec.schematic/,
    );
  });

  it("reports YAML syntax errors with the file", () => {
    expect(() => parseManifests("a: [", "broken.yaml")).toThrow(
      /broken.yaml \(document 1\): invalid YAML/,
    );
  });
});
