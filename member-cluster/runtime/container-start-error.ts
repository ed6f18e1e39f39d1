/**
 * A container that could not be started. The kubelet shows `reason` and `message` as the
 * container's waiting state (as Kubernetes does with `RunContainerError`) and retries with
 * back-off.
 */

/** Why a container did not start: Kubernetes' waiting reasons. */
export type ContainerStartReason = 'RunContainerError' | 'CreateContainerConfigError' | 'CreateContainerError' | 'StartError';

/** Thrown by `PodRuntime.startContainer` when nothing was started. */
export class ContainerStartError extends Error {
  override readonly name = 'ContainerStartError';

  constructor(
    readonly reason: ContainerStartReason,
    message: string,
  ) {
    super(message);
  }
}
