import { describe, expect, it } from "vitest";
import type { Application } from "../oam/types.js";
import {
  decideRevision,
  latestRevisionOf,
  PUBLISH_VERSION,
  revisionHash,
  revisionObject,
  revisionsToPrune,
  rollbackTarget,
  summarizeRevision,
  type RevisionSummary,
} from "./revision.js";

const spec = { components: [{ name: "web", type: "webservice", properties: { image: "a" } }] };

describe("revisionHash", () => {
  it("ignores key order and changes with the spec or the publishVersion", () => {
    const reordered = {
      components: [{ properties: { image: "a" }, type: "webservice", name: "web" }],
    };
    expect(revisionHash(reordered, undefined)).toBe(revisionHash(spec, undefined));
    expect(revisionHash(spec, "alpha1")).not.toBe(revisionHash(spec, undefined));
    const other = { components: [{ ...spec.components[0], properties: { image: "b" } }] };
    expect(revisionHash(other, undefined)).not.toBe(revisionHash(spec, undefined));
    expect(revisionHash(spec, undefined)).toMatch(/^[0-9a-f]{16}$/);
  });

  it("keeps the values of hashes stored before the digest moved to core/digest.ts", () => {
    expect(revisionHash(spec, undefined)).toBe("81ffe09cdb74dc85");
    expect(revisionHash(spec, "alpha1")).toBe("65c9d70eda54961b");
    expect(revisionHash({ a: [1, "x", null, true, { z: 1.5, y: undefined }] }, undefined)).toBe(
      "8f4eb212eab77d03",
    );
  });
});

describe("decideRevision", () => {
  const latest = { name: "app-v3", revision: 3, revisionHash: "h3" };

  it("makes v1 for an application without a revision", () => {
    expect(decideRevision({ app: "app", hash: "h" })).toEqual({
      kind: "new",
      revision: { name: "app-v1", revision: 1, revisionHash: "h" },
    });
  });

  it("without a publishVersion, keeps the revision while the hash is the same", () => {
    expect(decideRevision({ app: "app", latest, hash: "h3" }).kind).toBe("keep");
    expect(decideRevision({ app: "app", latest, hash: "h4" })).toEqual({
      kind: "new",
      revision: { name: "app-v4", revision: 4, revisionHash: "h4" },
    });
  });

  it("with a publishVersion, keeps the revision until the version changes, whatever the spec", () => {
    const published = { ...latest, publishVersion: "alpha1" };
    const edited = { app: "app", latest: published, hash: "other", publishVersion: "alpha1" };
    expect(decideRevision(edited)).toEqual({ kind: "keep", revision: latest });
    expect(decideRevision({ ...edited, publishVersion: "alpha2" }).kind).toBe("new");
    expect(decideRevision({ app: "app", latest: published, hash: "h3" }).kind).toBe("new");
  });
});

const app: Application = {
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: {
    name: "app",
    namespace: "team",
    annotations: {
      [PUBLISH_VERSION]: "alpha1",
      "kubectl.kubernetes.io/last-applied-configuration": "{}",
    },
  },
  spec,
};

describe("revisionObject and summarizeRevision", () => {
  it("snapshot the spec with name, hash, publishVersion and owner, and read back", () => {
    const revision = { name: "app-v2", revision: 2, revisionHash: "abc" };
    const object = revisionObject({ app, revision, uid: "u-1" });
    expect(object).toMatchObject({
      apiVersion: "core.oam.dev/v1beta1",
      kind: "ApplicationRevision",
      metadata: {
        name: "app-v2",
        namespace: "team",
        labels: { "app.oam.dev/name": "app", "app.oam.dev/app-revision-hash": "abc" },
        annotations: { [PUBLISH_VERSION]: "alpha1" },
        ownerReferences: [{ kind: "Application", name: "app", uid: "u-1", controller: true }],
      },
      spec: { revision: 2, application: { spec } },
    });
    const snapshot = (object.spec as { application: { metadata: { annotations: object } } })
      .application.metadata.annotations;
    expect(snapshot).toEqual({ [PUBLISH_VERSION]: "alpha1" });
    const read = summarizeRevision({ ...object, status: { succeeded: true } });
    expect(read).toEqual({ ...revision, publishVersion: "alpha1", succeeded: true, spec });
  });

  it("is undefined for an object that is no revision", () => {
    expect(summarizeRevision({ metadata: { name: "x" }, spec: {} })).toBeUndefined();
  });
});

const rev = (revision: number, succeeded: boolean, hash = `h${revision}`): RevisionSummary => ({
  name: `app-v${revision}`,
  revision,
  revisionHash: hash,
  succeeded,
  spec: {},
});

describe("latestRevisionOf", () => {
  it("reads status.latestRevision, a missing hash as empty, and nothing without name and number", () => {
    const latest = { name: "app-v2", revision: 2, revisionHash: "h" };
    expect(latestRevisionOf({ latestRevision: latest })).toEqual(latest);
    expect(latestRevisionOf({ latestRevision: { name: "app-v2", revision: 2 } })).toEqual({
      ...latest,
      revisionHash: "",
    });
    expect(latestRevisionOf({ latestRevision: { name: "app-v2" } })).toBeUndefined();
    expect(latestRevisionOf(undefined)).toBeUndefined();
  });
});

describe("rollbackTarget", () => {
  it("is the newest older revision that succeeded, with another spec", () => {
    const revisions = [rev(1, true), rev(2, true), rev(3, false), rev(4, false)];
    const current = { name: "app-v4", revision: 4, revisionHash: "h4" };
    expect(rollbackTarget(revisions, current)?.name).toBe("app-v2");
    expect(rollbackTarget(revisions, { ...current, revisionHash: "h2" })?.name).toBe("app-v1");
    expect(rollbackTarget([rev(1, false), rev(2, false)], current)).toBeUndefined();
  });
});

describe("revisionsToPrune", () => {
  it("deletes the oldest beyond the limit, never the current one nor the last success", () => {
    const revisions = [rev(1, true), rev(2, false), rev(3, false), rev(4, false), rev(5, false)];
    expect(revisionsToPrune(revisions, "app-v5", 3)).toEqual(["app-v2", "app-v3"]);
    expect(revisionsToPrune(revisions, "app-v5", 10)).toEqual([]);
  });
});
