import { describe, expect, it } from "vitest";
import {
  kubernetesVersionLdflags,
  kubernetesWrapper,
  renderGoMod,
  stagingModules,
  stagingVersion,
} from "./go-mod.js";

const kubernetesGoMod = `module k8s.io/kubernetes

go 1.26.0

require (
	k8s.io/api v0.0.0
	github.com/spf13/cobra v1.10.0
)

replace (
	k8s.io/api => ./staging/src/k8s.io/api
	k8s.io/client-go => ./staging/src/k8s.io/client-go
	k8s.io/sample-apiserver => ./staging/src/k8s.io/sample-apiserver
	github.com/example/other => github.com/example/fork v1.0.0
)
`;

describe("wrapper go.mod for k8s.io/kubernetes", () => {
  it("finds the staging modules of the replace block only", () => {
    expect(stagingModules(kubernetesGoMod)).toEqual([
      "k8s.io/api",
      "k8s.io/client-go",
      "k8s.io/sample-apiserver",
    ]);
  });

  it("maps a release to its published staging tag", () => {
    expect(stagingVersion("1.36.3")).toBe("v0.36.3");
    expect(() => stagingVersion("v1.36")).toThrow(/not a Kubernetes release version/);
  });

  it("requires the release and replaces each non-sample staging module with its tag", () => {
    const text = renderGoMod(kubernetesWrapper("1.36.3", stagingModules(kubernetesGoMod)));
    expect(text).toContain("\tk8s.io/kubernetes v1.36.3\n");
    expect(text).toContain("\tk8s.io/api => k8s.io/api v0.36.3\n");
    expect(text).toContain("\tk8s.io/client-go => k8s.io/client-go v0.36.3\n");
    expect(text).not.toContain("sample-apiserver");
    expect(text.startsWith("module flotilla.invalid/fleet/kubernetes\n\ngo 1.26.0\n")).toBe(true);
  });

  it("omits the replace block when there is nothing to replace", () => {
    const text = renderGoMod({
      name: "m",
      go: "1.26.0",
      require: [["sigs.k8s.io/kwok", "v0.8.0"]],
    });
    expect(text).not.toContain("replace");
  });

  it("stamps the real version into the binaries", () => {
    const flags = kubernetesVersionLdflags("1.36.3");
    expect(flags).toContain("-X k8s.io/component-base/version.gitVersion=v1.36.3");
    expect(flags).toContain("-X k8s.io/component-base/version.gitMinor=36");
  });
});
