/**
 * Configuration files of a real node (pure): containerd's TOML, the kubelet's and kube-proxy's
 * configuration documents and the CNI network list. Every path comes from the node's plan, so
 * nothing is written outside the node's own directories.
 */
import { stringify } from "yaml";
import { kubeletPort, realNodeTaint, type RealNodePlan } from "./plan.js";

/** Where the node's files go, relative to nothing: all absolute, all under the plan's dirs. */
export interface NodePaths {
  readonly containerdConfig: string;
  readonly containerdRoot: string;
  readonly containerdState: string;
  readonly containerdSocket: string;
  readonly cniConfDir: string;
  readonly cniIpamDir: string;
  readonly kubeletConfig: string;
  readonly kubeletKubeconfig: string;
  readonly kubeletRoot: string;
  readonly kubeletCertDir: string;
  readonly podLogs: string;
  readonly resolvConf: string;
  readonly proxyConfig: string;
  readonly proxyKubeconfig: string;
  readonly clusterCa: string;
  readonly pki: string;
}

export function nodePaths(plan: RealNodePlan): NodePaths {
  const d = plan.dir;
  return {
    containerdConfig: `${d}/containerd.toml`,
    containerdRoot: `${d}/containerd/root`,
    containerdState: `${d}/containerd/state`,
    containerdSocket: `${plan.runDir}/containerd.sock`,
    cniConfDir: `${d}/cni/net.d`,
    cniIpamDir: `${d}/cni/ipam`,
    kubeletConfig: `${d}/kubelet-config.yaml`,
    kubeletKubeconfig: `${d}/kubelet.kubeconfig`,
    kubeletRoot: `${d}/kubelet`,
    kubeletCertDir: `${d}/kubelet-pki`,
    podLogs: `${d}/pod-logs`,
    resolvConf: `${d}/resolv.conf`,
    proxyConfig: `${d}/kube-proxy-config.yaml`,
    proxyKubeconfig: `${d}/kube-proxy.kubeconfig`,
    clusterCa: `${d}/pki/ca.crt`,
    pki: `${d}/pki`,
  };
}

/** The CNI binaries (Debian's containernetworking-plugins). */
export const cniBinDir = "/usr/lib/cni";
/** runc from Debian. */
export const runcBinary = "/usr/sbin/runc";

export interface ContainerdInput {
  readonly plan: RealNodePlan;
  readonly paths: NodePaths;
  /** The pause image's tag, pinned as containerd's sandbox image. */
  readonly sandboxImage: string;
}

const quote = (text: string): string => JSON.stringify(text);

/**
 * containerd 2.x configuration (version 3). `restrict_oom_score_adj` is required here: the
 * fleet runs without CAP_SYS_RESOURCE, and without it every sandbox fails to start.
 * Network namespaces of pods are mounted under the state directory, so cleaning the node's
 * directory cleans them too. Plugins that want machine-wide paths are disabled.
 */
export function containerdConfig(input: ContainerdInput): string {
  const { paths } = input;
  const cri = "plugins.'io.containerd.cri.v1.runtime'";
  return [
    "version = 3",
    `root = ${quote(paths.containerdRoot)}`,
    `state = ${quote(paths.containerdState)}`,
    `disabled_plugins = ${JSON.stringify(disabledPlugins)}`,
    "[grpc]",
    `  address = ${quote(paths.containerdSocket)}`,
    "[ttrpc]",
    `  address = ${quote(`${paths.containerdSocket}.ttrpc`)}`,
    "[debug]",
    `  address = ""`,
    "[plugins.'io.containerd.internal.v1.opt']",
    `  path = ${quote(`${input.plan.dir}/containerd/opt`)}`,
    "[plugins.'io.containerd.cri.v1.images']",
    "  snapshotter = 'overlayfs'",
    "[plugins.'io.containerd.cri.v1.images'.pinned_images]",
    `  sandbox = ${quote(input.sandboxImage)}`,
    `[${cri}]`,
    "  restrict_oom_score_adj = true",
    "  netns_mounts_under_state_dir = true",
    "  enable_cdi = false",
    "  disable_apparmor = true",
    `[${cri}.containerd]`,
    "  default_runtime_name = 'runc'",
    `[${cri}.containerd.runtimes.runc]`,
    "  runtime_type = 'io.containerd.runc.v2'",
    `[${cri}.containerd.runtimes.runc.options]`,
    `  BinaryName = ${quote(runcBinary)}`,
    "  SystemdCgroup = false",
    `[${cri}.cni]`,
    `  bin_dirs = [${quote(cniBinDir)}]`,
    `  conf_dir = ${quote(paths.cniConfDir)}`,
    "[plugins.'io.containerd.grpc.v1.cri']",
    "  stream_server_address = '127.0.0.1'",
    "",
  ].join("\n");
}

const disabledPlugins = [
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.blockfile",
  "io.containerd.snapshotter.v1.erofs",
  "io.containerd.nri.v1.nri",
  "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing",
];

/** The CNI network: a bridge inside the node namespace, host-local addresses from the pod range. */
export function cniConfig(plan: RealNodePlan, paths: NodePaths): string {
  const network = {
    cniVersion: "1.0.0",
    name: "flotilla",
    plugins: [
      {
        type: "bridge",
        bridge: "cni0",
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: {
          type: "host-local",
          ranges: [[{ subnet: plan.podCidr }]],
          routes: [{ dst: "0.0.0.0/0" }],
          dataDir: paths.cniIpamDir,
        },
      },
      { type: "portmap", capabilities: { portMappings: true } },
    ],
  };
  return JSON.stringify(network, null, 2) + "\n";
}

/**
 * The kubelet's configuration. cgroup v1 with the cgroupfs driver (`failCgroupV1: false`:
 * this machine kind offers only v1 controllers), no swap check, its own oom score left alone
 * (lowering it needs CAP_SYS_RESOURCE), eviction thresholds low enough for a shared disk.
 */
export function kubeletConfig(plan: RealNodePlan, paths: NodePaths): string {
  const config = {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    address: plan.nodeAddress,
    port: kubeletPort,
    readOnlyPort: 0,
    healthzBindAddress: "127.0.0.1",
    healthzPort: 10248,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: paths.clusterCa },
    },
    authorization: { mode: "Webhook" },
    containerRuntimeEndpoint: `unix://${paths.containerdSocket}`,
    cgroupDriver: "cgroupfs",
    cgroupRoot: plan.cgroupRoot,
    failCgroupV1: false,
    failSwapOn: false,
    oomScoreAdj: 0,
    resolvConf: paths.resolvConf,
    podLogsDir: paths.podLogs,
    registerWithTaints: [realNodeTaint],
    maxPods: 32,
    serializeImagePulls: false,
    evictionHard: {
      "memory.available": "100Mi",
      "nodefs.available": "1%",
      "imagefs.available": "1%",
      "nodefs.inodesFree": "1%",
    },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    nodeStatusReportFrequency: "10s",
  };
  return stringify(config);
}

/** kube-proxy in iptables mode; conntrack limits left as they are (they are machine-wide). */
export function kubeProxyConfig(plan: RealNodePlan, paths: NodePaths): string {
  const config = {
    apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
    kind: "KubeProxyConfiguration",
    clientConnection: { kubeconfig: paths.proxyKubeconfig },
    mode: "iptables",
    hostnameOverride: plan.name,
    bindAddress: plan.nodeAddress,
    clusterCIDR: plan.podCidr,
    healthzBindAddress: "127.0.0.1:10256",
    metricsBindAddress: "127.0.0.1:10249",
    oomScoreAdj: 0,
    conntrack: {
      maxPerCore: 0,
      min: 0,
      tcpEstablishedTimeout: "0s",
      tcpCloseWaitTimeout: "0s",
    },
  };
  return stringify(config);
}
