import { describe, expect, it } from "vitest";
import { parseKubeRequest, resourceLabel } from "./kube-path.js";

const gw = "/apis/cluster.core.oam.dev/v1alpha1/clustergateways";

describe("parseKubeRequest (as kube-apiserver's RequestInfoFactory)", () => {
  it.each<[string, string, string, string]>([
    // method, url, verb, resource label
    ["GET", "/api/v1/namespaces", "list", "namespaces"],
    ["GET", "/api/v1/namespaces/default", "get", "namespaces"],
    ["GET", "/api/v1/namespaces/default/configmaps?watch=true", "watch", "configmaps"],
    ["GET", "/api/v1/namespaces/default/configmaps?watch=1&rv=3", "watch", "configmaps"],
    ["GET", "/api/v1/namespaces/default/configmaps?watch=false", "list", "configmaps"],
    ["GET", "/api/v1/watch/namespaces/default/configmaps", "watch", "configmaps"],
    ["GET", "/api/v1/namespaces/default/configmaps/cm", "get", "configmaps"],
    ["POST", "/api/v1/namespaces/default/configmaps", "create", "configmaps"],
    ["PUT", "/api/v1/namespaces/default/configmaps/cm", "update", "configmaps"],
    ["PATCH", "/apis/apps/v1/namespaces/x/deployments/web", "patch", "deployments.apps"],
    ["DELETE", "/api/v1/namespaces/default/configmaps/cm", "delete", "configmaps"],
    ["DELETE", "/api/v1/namespaces/default/configmaps", "deletecollection", "configmaps"],
    ["GET", "/api/v1/namespaces/default/pods/p/log?follow=true", "get", "pods/log"],
    ["POST", "/api/v1/namespaces/default/pods/p/exec?command=sh", "create", "pods/exec"],
    ["PUT", "/api/v1/namespaces/ns/finalize", "update", "namespaces/finalize"],
    ["GET", "/api/v1/namespaces/ns/status", "get", "namespaces/status"],
    ["GET", "/api/v1/nodes", "list", "nodes"],
    ["HEAD", "/api/v1/nodes/n1", "get", "nodes"],
    ["GET", "/version", "get", ""],
    ["GET", "/readyz?verbose", "get", ""],
    ["GET", "/apis", "get", ""],
    ["GET", "/apis/apps", "get", ""],
    ["GET", "/apis/apps/v1", "get", ""],
    ["OPTIONS", "/api/v1/nodes", "options", ""],
    [
      "POST",
      "/apis/authentication.k8s.io/v1/selfsubjectreviews",
      "create",
      "selfsubjectreviews.authentication.k8s.io",
    ],
  ])("%s %s → %s %s", (method, url, verb, resource) => {
    const info = parseKubeRequest(method, url);
    expect(info.verb).toBe(verb);
    expect(resourceLabel(info)).toBe(resource);
  });

  it("reads the gateway's own proxy URL as kube's aggregator does: clustergateways/proxy", () => {
    const info = parseKubeRequest("GET", `${gw}/member-1/proxy/api/v1/namespaces?watch=true`);
    expect(info).toMatchObject({
      isResourceRequest: true,
      verb: "get",
      apiGroup: "cluster.core.oam.dev",
      apiVersion: "v1alpha1",
      resource: "clustergateways",
      name: "member-1",
      subresource: "proxy",
      namespace: "",
    });
    expect(parseKubeRequest("POST", `${gw}/member-1/proxy/api/v1/x`).verb).toBe("create");
    expect(parseKubeRequest("GET", gw).verb).toBe("list");
    expect(parseKubeRequest("GET", `${gw}?watch=true`).verb).toBe("watch");
    expect(parseKubeRequest("GET", `${gw}/a%2Db/health`).name).toBe("a-b");
  });

  it("keeps namespace and name", () => {
    expect(parseKubeRequest("GET", "/apis/apps/v1/namespaces/prod/deployments/web")).toMatchObject({
      namespace: "prod",
      name: "web",
      resource: "deployments",
      apiGroup: "apps",
    });
  });
});
