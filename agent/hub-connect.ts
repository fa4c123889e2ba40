/**
 * The agent's hub client from its configuration: with `--hub-kubeconfig`, the kubeconfig's
 * token, renewed by the agent with its own Role (`token.ts`); with
 * `--hub-bootstrap-kubeconfig`, working tokens minted with the bootstrap credential and kept in
 * memory (`hub-credential.ts`, docs/adr/0017-agent-credential.md). Nothing is written to disk;
 * the bootstrap file is read again after the hub refused it.
 */
import type { Clock } from "../core/controller/clock.js";
import type { Logger } from "../core/controller/logger.js";
import { createKubeClient, type KubeClient } from "../core/kube/client.js";
import { loadKubeconfigFile } from "../core/kube/connect.js";
import type { AgentConfig } from "./config.js";
import { kubeStatusOf } from "../core/kube/status.js";
import {
  startHubCredential,
  tokenRequester,
  withHubCredential,
  type RequestToken,
} from "./hub-credential.js";

export interface HubConnection {
  readonly hub: KubeClient;
  /** Whether the agent renews the kubeconfig's token itself (`--hub-kubeconfig` mode). */
  readonly renewToken: boolean;
}

/**
 * Mints with the bootstrap kubeconfig in `file`, read again after the hub refused it (401):
 * a rotated bootstrap credential (its Secret updated in place, mounted without `subPath`) is
 * picked up without a restart. A file that cannot be read then keeps the previous client.
 */
function bootstrapRequester(
  file: string,
  cluster: string,
  userAgent: string,
): { requestToken: RequestToken; close(): void } {
  const open = (): KubeClient =>
    createKubeClient(loadKubeconfigFile(file), { name: "hub (bootstrap)", userAgent });
  let client = open();
  let refused = false;
  return {
    async requestToken(seconds) {
      if (refused) {
        refused = false;
        try {
          const next = open();
          client.close();
          client = next;
        } catch {
          // Unreadable just now (a Secret volume being swapped): retry with the one we have.
        }
      }
      try {
        return await tokenRequester(client, cluster)(seconds);
      } catch (error) {
        refused = kubeStatusOf(error) === 401;
        throw error;
      }
    },
    close: () => client.close(),
  };
}

export function connectHub(
  config: Pick<
    AgentConfig,
    "cluster" | "hubKubeconfig" | "hubBootstrapKubeconfig" | "hubTokenLifetimeMs"
  >,
  deps: { readonly clock: Clock; readonly log: Logger; readonly userAgent: string },
): HubConnection {
  const { userAgent } = deps;
  if (config.hubBootstrapKubeconfig === undefined) {
    const file = config.hubKubeconfig as string; // loadAgentConfig requires one of the two
    return {
      hub: createKubeClient(loadKubeconfigFile(file), { name: "hub", userAgent }),
      renewToken: true,
    };
  }
  const file = config.hubBootstrapKubeconfig;
  const hub = createKubeClient(loadKubeconfigFile(file), { name: "hub", userAgent });
  const bootstrap = bootstrapRequester(file, config.cluster, userAgent);
  const credential = startHubCredential({
    requestToken: bootstrap.requestToken,
    lifetimeMs: config.hubTokenLifetimeMs,
    onToken: (token) => hub.setToken(token),
    clock: deps.clock,
    log: deps.log,
  });
  const wrapped = withHubCredential(hub, credential);
  return {
    hub: { ...wrapped, close: () => (wrapped.close(), bootstrap.close()) },
    renewToken: false,
  };
}
