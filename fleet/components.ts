/**
 * Command lines of a cluster's control-plane processes (pure). Every component binds
 * 127.0.0.1 only, on ports chosen at start.
 */
import { KWOK_NODE_ANNOTATION, KWOK_NODE_FAKE } from "../core/cluster/node-kind.js";
import type { ClusterPki } from "./pki.js";

export interface ClusterPorts {
  readonly apiserver: number;
  readonly controllerManager: number;
  readonly scheduler: number;
  readonly kwok: number;
}

export interface ApiserverInput {
  readonly name: string;
  readonly etcdUrl: string;
  readonly ports: ClusterPorts;
  readonly pki: ClusterPki;
  readonly serviceCidr: string;
  /**
   * Call aggregated API servers at their endpoints (pod addresses) instead of their Service:
   * for a gateway running as pods (`fleet up --in-cluster`). Off otherwise, because endpoint
   * routing refuses the ExternalName Service a gateway process on the host is registered with.
   */
  readonly aggregatorRouting?: boolean;
}

/** kube-apiserver flags; the aggregation layer is configured when the PKI has a front proxy. */
export function apiserverArgs(input: ApiserverInput): string[] {
  const { pki, ports } = input;
  const args = [
    `--etcd-servers=${input.etcdUrl}`,
    `--etcd-prefix=/flotilla/${input.name}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${ports.apiserver}`,
    `--tls-cert-file=${pki.apiserver.certFile}`,
    `--tls-private-key-file=${pki.apiserver.keyFile}`,
    `--client-ca-file=${pki.ca.certFile}`,
    `--service-account-issuer=https://127.0.0.1:${ports.apiserver}`,
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    `--service-cluster-ip-range=${input.serviceCidr}`,
    "--authorization-mode=Node,RBAC",
    // kubelets of real nodes: reached at their InternalIP (the veth address of their
    // namespace), with a client certificate their webhook authorizer accepts
    "--kubelet-preferred-address-types=InternalIP,Hostname,ExternalIP",
    `--kubelet-client-certificate=${pki.kubeletClient.certFile}`,
    `--kubelet-client-key=${pki.kubeletClient.keyFile}`,
    "--allow-privileged=true",
    // The default reconciler writes the apiserver's address into the `kubernetes` Endpoints,
    // and Endpoints validation rejects loopback addresses.
    "--endpoint-reconciler-type=none",
    "--profiling=false",
    "--v=1",
  ];
  if (pki.frontProxy !== undefined) {
    args.push(
      `--requestheader-client-ca-file=${pki.frontProxy.ca.certFile}`,
      "--requestheader-allowed-names=front-proxy-client",
      "--requestheader-username-headers=X-Remote-User",
      "--requestheader-group-headers=X-Remote-Group",
      "--requestheader-extra-headers-prefix=X-Remote-Extra-",
      `--proxy-client-cert-file=${pki.frontProxy.client.certFile}`,
      `--proxy-client-key-file=${pki.frontProxy.client.keyFile}`,
    );
    // an aggregated API server running as pods (the gateway installed by its chart) is
    // called at its endpoint's pod address: the host runs no kube-proxy for ClusterIPs
    if (input.aggregatorRouting === true) args.push("--enable-aggregator-routing=true");
  }
  return args;
}

export interface ControllerInput {
  readonly name: string;
  readonly kubeconfig: string;
  readonly port: number;
  readonly pki: ClusterPki;
}

/** kube-controller-manager flags: every default controller, one identity per controller. */
export function controllerManagerArgs(input: ControllerInput): string[] {
  return [
    ...delegatedAuth(input.kubeconfig, input.port),
    `--cluster-name=${input.name}`,
    `--service-account-private-key-file=${input.pki.serviceAccountKey}`,
    `--root-ca-file=${input.pki.ca.certFile}`,
    "--use-service-account-credentials=true",
    "--leader-elect=false",
    "--profiling=false",
    "--v=1",
  ];
}

/** kube-scheduler flags. */
export function schedulerArgs(input: Omit<ControllerInput, "pki" | "name">): string[] {
  return [
    ...delegatedAuth(input.kubeconfig, input.port),
    "--leader-elect=false",
    "--profiling=false",
    "--v=1",
  ];
}

function delegatedAuth(kubeconfig: string, port: number): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${port}`,
  ];
}

export interface KwokInput {
  readonly kubeconfig: string;
  readonly port: number;
  readonly stagesFile: string;
}

/** kwok flags: manage only nodes annotated `kwok.x-k8s.io/node=fake`, with Lease heartbeats. */
export function kwokArgs(input: KwokInput): string[] {
  return [
    `--kubeconfig=${input.kubeconfig}`,
    `--config=${input.stagesFile}`,
    "--manage-all-nodes=false",
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=${KWOK_NODE_FAKE}`,
    `--server-address=127.0.0.1:${input.port}`,
    "--node-ip=127.0.0.1",
    "--node-lease-duration-seconds=40",
  ];
}

export interface EtcdInput {
  readonly dataDir: string;
  readonly clientPort: number;
  readonly peerPort: number;
}

/** etcd flags: one member on loopback, shared by the fleet's clusters (one prefix each). */
export function etcdArgs(input: EtcdInput): string[] {
  const client = `http://127.0.0.1:${input.clientPort}`;
  const peer = `http://127.0.0.1:${input.peerPort}`;
  return [
    "--name=fleet",
    `--data-dir=${input.dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=fleet=${peer}`,
    "--unsafe-no-fsync=true",
    "--quota-backend-bytes=2147483648",
    "--log-level=warn",
  ];
}
