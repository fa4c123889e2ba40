/**
 * client-node's `KubernetesObjectApi` with plain-JSON reads. Its typed reads pass objects
 * through the generated models, which drop every field the models do not know (a newer API
 * field, a custom resource's status) and turn timestamps into `Date`s. Here untyped calls
 * return the server's JSON as sent; typed calls (discovery) keep the models.
 */
import {
  KubernetesObjectApi,
  type KubernetesObject,
  type ResponseContext,
} from "@kubernetes/client-node";

export class PlainObjectApi extends KubernetesObjectApi {
  /** Whether the cluster serves `kind` in `apiVersion` (discovery, cached per version). */
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    return (await this.resource(apiVersion, kind)) !== undefined;
  }

  protected override async processResponse<T extends KubernetesObject>(
    response: ResponseContext,
    type?: string,
  ): Promise<T> {
    const ok = response.httpStatusCode >= 200 && response.httpStatusCode <= 299;
    if (type !== undefined || !ok) return super.processResponse<T>(response, type);
    return JSON.parse(await response.body.text()) as T;
  }
}
