/**
 * The files the image benchmark's programs read, under the fleet's work directory (mounted into
 * the containers at the same path): the gateway's serving certificate, and the agent's hub
 * kubeconfig from the installer `flotilla cluster agent-access` uses, with member-1 registered.
 */
import path from "node:path";
import type { Fleet } from "../../fleet/fleet.js";
import { gatewayServingCertificate, joinFleetMembers, kubeConfigOf } from "../../fleet/gateway.js";
import { provisionAgentAccess } from "../../core/install/agent-access.js";
import { writeAgentKubeconfig } from "../../core/install/agent-kubeconfig.js";
import type { ProgramFiles } from "./programs.js";

export async function prepareFiles(fleet: Fleet): Promise<ProgramFiles> {
  const hub = fleet.cluster("local");
  await joinFleetMembers(fleet);
  const tls = await gatewayServingCertificate(path.join(fleet.workDir, "bench-gateway-pki"));
  const access = await provisionAgentAccess({ hub: kubeConfigOf(hub), cluster: "member-1" });
  const agentKubeconfig = path.join(fleet.workDir, "bench-agent.kubeconfig");
  await writeAgentKubeconfig(agentKubeconfig, access.kubeconfig);
  return {
    hubKubeconfig: hub.kubeconfigFile,
    memberKubeconfig: fleet.cluster("member-1").kubeconfigFile,
    agentKubeconfig,
    tlsCert: tls.serving.certFile,
    tlsKey: tls.serving.keyFile,
    probe: { ca: tls.ca.cert, cert: hub.admin.certPem, key: hub.admin.keyPem },
  };
}
