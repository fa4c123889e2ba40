import { describe, expect, it } from "vitest";
import { mountsUnder } from "./cleanup.js";

const mountinfo = [
  "22 1 0:21 / /run rw - tmpfs tmpfs rw",
  "90 22 0:50 / /w/c/nodes/n/kubelet/pods/x/volumes/kubernetes.io~projected/kube\\040api rw - tmpfs tmpfs rw",
  "91 22 0:51 / /w/c/nodes/n/containerd/state/netns/cni-1 rw - nsfs nsfs rw",
  "92 22 0:52 / /w/c/nodes/n2/kubelet rw - tmpfs tmpfs rw",
  "93 22 0:53 / /w/c/nodes/n rw - tmpfs tmpfs rw",
  "94 22 0:54 / /run/flotilla/flt-0/x rw - tmpfs tmpfs rw",
].join("\n");

describe("mountsUnder", () => {
  it("finds the node's mounts only, unescaped, deepest first", () => {
    expect(mountsUnder(mountinfo, ["/w/c/nodes/n", "/run/flotilla/flt-0"])).toEqual([
      "/w/c/nodes/n/kubelet/pods/x/volumes/kubernetes.io~projected/kube api",
      "/w/c/nodes/n/containerd/state/netns/cni-1",
      "/run/flotilla/flt-0/x",
      "/w/c/nodes/n",
    ]);
  });
});
