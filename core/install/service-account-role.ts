/**
 * A ServiceAccount with a Role of the same name bound to it, in one namespace: how each agent
 * identity on the hub (the working one and the bootstrap one) is made and removed. Creation
 * keeps an existing ServiceAccount (its tokens stay valid) and brings the Role and RoleBinding
 * up to date; removal treats missing objects as done.
 */
import {
  CoreV1Api,
  RbacAuthorizationV1Api,
  type KubeConfig,
  type V1Role,
  type V1RoleBinding,
  type V1ServiceAccount,
} from "@kubernetes/client-node";
import { withTimeout } from "../cluster/kube.js";
import { ensure, remove } from "./ensure.js";

export interface ServiceAccountWithRole {
  readonly namespace: string;
  /** The name of all three objects. */
  readonly name: string;
  readonly serviceAccount: V1ServiceAccount;
  readonly role: V1Role;
  readonly binding: V1RoleBinding;
}

export async function ensureServiceAccountWithRole(
  hub: KubeConfig,
  objects: ServiceAccountWithRole,
  timeoutMs: number,
): Promise<void> {
  const { namespace, name, role, binding } = objects;
  const t = withTimeout(timeoutMs);
  const rbac = hub.makeApiClient(RbacAuthorizationV1Api);
  await ensure(`ServiceAccount ${namespace}/${name}`, () =>
    hub
      .makeApiClient(CoreV1Api)
      .createNamespacedServiceAccount({ namespace, body: objects.serviceAccount }, t),
  );
  await ensure(
    `Role ${namespace}/${name}`,
    () => rbac.createNamespacedRole({ namespace, body: role }, t),
    () => rbac.replaceNamespacedRole({ name, namespace, body: role }, t),
  );
  await ensure(
    `RoleBinding ${namespace}/${name}`,
    () => rbac.createNamespacedRoleBinding({ namespace, body: binding }, t),
    () => rbac.replaceNamespacedRoleBinding({ name, namespace, body: binding }, t),
  );
}

/** Deletes the ServiceAccount (revoking its bound tokens), the RoleBinding and the Role. */
export async function removeServiceAccountWithRole(
  hub: KubeConfig,
  { namespace, name }: { readonly namespace: string; readonly name: string },
  timeoutMs: number,
): Promise<void> {
  const t = withTimeout(timeoutMs);
  const rbac = hub.makeApiClient(RbacAuthorizationV1Api);
  await remove(`ServiceAccount ${namespace}/${name}`, () =>
    hub.makeApiClient(CoreV1Api).deleteNamespacedServiceAccount({ name, namespace }, t),
  );
  await remove(`RoleBinding ${namespace}/${name}`, () =>
    rbac.deleteNamespacedRoleBinding({ name, namespace }, t),
  );
  await remove(`Role ${namespace}/${name}`, () =>
    rbac.deleteNamespacedRole({ name, namespace }, t),
  );
}
