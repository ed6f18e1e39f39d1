/**
 * The Job controller (kubernetes pkg/controller/job/job_controller.go, with the legacy
 * tracking that counts the Job's pods): runs up to `parallelism` pods at once until
 * `completions` have Succeeded (condition Complete), failing the Job with condition Failed
 * when more than `backoffLimit` pods failed (BackoffLimitExceeded; for restartPolicy
 * OnFailure, container restarts count) or `activeDeadlineSeconds` passed since startTime
 * (DeadlineExceeded); a failed Job's active pods are deleted. The deadline is watched with
 * a delayed re-queue on the injected clock. Not implemented: the exponential delay before
 * re-creating failed pods, indexed completion, suspend, ttlSecondsAfterFinished.
 */
import { isAlreadyExists, newControllerRef, splitObjectKey, type KubeObject } from '../../apimachinery/index.js';
import { BY_OWNER_UID, WorkQueue, enqueueObject, enqueueOwner, type Informer } from '../../controller/index.js';
import type { Condition, Job, JobStatus, Pod } from '../api-types.js';
import type { ControllerContext, RunningController } from './controller-context.js';
import { runLoop } from './controller-loop.js';
import { ObjectWriter, parseTimestamp } from './object-writer.js';
import { compareForDeletion, isPodActive, isPodReady } from './pod-state.js';
import { podFromTemplate, randomSuffix } from './pod-template.js';

/** Failed pods tolerated before the Job fails, when `backoffLimit` is unset. */
export const DEFAULT_BACKOFF_LIMIT = 6;
/** Labels every Job pod carries (and their `batch.kubernetes.io/` forms). */
export const JOB_NAME_LABEL = 'job-name';
export const CONTROLLER_UID_LABEL = 'controller-uid';

function finished(job: Readonly<Job>): boolean {
  return job.status?.conditions?.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') ?? false;
}

/** Runs Jobs to completion. */
export class JobController {
  /** Name in the controller registry. */
  static readonly controllerName = 'job';
  /** Keys `namespace/name` of Jobs to reconcile. */
  readonly queue: WorkQueue;
  /** Writes with read-your-writes on the Job and Pod caches. */
  readonly writer: ObjectWriter;
  private readonly jobs: Informer<Job>;
  private readonly pods: Informer<Pod>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ name: JobController.controllerName, clock: ctx.clock });
    this.jobs = ctx.informers.informerFor<Job>('jobs.batch');
    this.pods = ctx.informers.informerFor<Pod>('pods');
    this.writer = new ObjectWriter(ctx.store, ctx.registry, ctx.clock).track(
      this.jobs as unknown as Informer<KubeObject>,
      this.pods as unknown as Informer<KubeObject>,
    );
  }

  /** Registers handlers and starts the workers. */
  start(): RunningController {
    const unregister = [this.jobs.addEventHandler(enqueueObject(this.queue)), this.pods.addEventHandler(enqueueOwner(this.queue, 'Job'))];
    return runLoop(this.ctx, { name: JobController.controllerName, queue: this.queue, writer: this.writer, reconcile: (k) => this.reconcile(k), unregister });
  }

  /** One pass over Job `namespace/name`. */
  async reconcile(key: string): Promise<void> {
    const job = this.jobs.get(key);
    if (!job || finished(job) || job.metadata.deletionTimestamp) return;
    const { namespace, name } = splitObjectKey(key);
    const nowMs = this.ctx.clock.now();
    const now = this.writer.now();
    let pods = this.pods.byIndex(BY_OWNER_UID, job.metadata.uid ?? '');
    let active = pods.filter(isPodActive);
    const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').length;
    let failed = pods.filter((p) => p.status?.phase === 'Failed').length;
    const restartPolicy = job.spec.template.spec.restartPolicy === 'OnFailure' ? 'OnFailure' : 'Never';
    if (restartPolicy === 'OnFailure') {
      // pastBackoffLimitOnFailure: restarts inside pods are the failures.
      failed += active.reduce((n, p) => n + (p.status?.containerStatuses ?? []).reduce((m, c) => m + c.restartCount, 0), 0);
    }
    const startTime = job.status?.startTime ?? now;
    const completions = job.spec.completions ?? 1;
    const parallelism = job.spec.parallelism ?? 1;
    const backoffLimit = job.spec.backoffLimit ?? DEFAULT_BACKOFF_LIMIT;
    const deadlineMs = job.spec.activeDeadlineSeconds !== undefined ? (parseTimestamp(startTime) ?? nowMs) + job.spec.activeDeadlineSeconds * 1000 : undefined;

    let failure: Condition | undefined;
    if (failed > backoffLimit) {
      failure = { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    } else if (deadlineMs !== undefined && nowMs >= deadlineMs) {
      failure = { type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    }
    const conditions = [...(job.status?.conditions ?? [])];
    let completionTime: string | undefined;
    const podsResource = this.writer.resource('pods');
    if (failure) {
      for (const p of active) await this.writer.delete(podsResource, p.metadata.namespace, p.metadata.name ?? '', { uid: p.metadata.uid });
      active = [];
      conditions.push({ ...failure, lastProbeTime: now, lastTransitionTime: now });
    } else if (succeeded >= completions) {
      // Surplus pods of a finished Job have nothing left to do.
      for (const p of active) await this.writer.delete(podsResource, p.metadata.namespace, p.metadata.name ?? '', { uid: p.metadata.uid });
      active = [];
      completionTime = now;
      conditions.push({ type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now });
    } else {
      const want = Math.max(0, Math.min(parallelism, completions - succeeded));
      if (active.length < want) {
        const owner = newControllerRef(job);
        const labels = { [JOB_NAME_LABEL]: name, [CONTROLLER_UID_LABEL]: job.metadata.uid ?? '', 'batch.kubernetes.io/job-name': name, 'batch.kubernetes.io/controller-uid': job.metadata.uid ?? '' };
        for (let i = active.length; i < want; i++) {
          const pod = podFromTemplate(job.spec.template, { namespace: namespace ?? '', name: `${name}-${randomSuffix()}`, owner, extraLabels: labels });
          pod.spec.restartPolicy = restartPolicy;
          try {
            await this.writer.create(pod);
          } catch (err) {
            if (!isAlreadyExists(err)) throw err;
          }
        }
      } else if (active.length > want) {
        for (const p of [...active].sort(compareForDeletion).slice(0, active.length - want)) {
          await this.writer.delete(podsResource, p.metadata.namespace, p.metadata.name ?? '', { uid: p.metadata.uid });
        }
      }
      pods = this.pods.byIndex(BY_OWNER_UID, job.metadata.uid ?? '');
      active = pods.filter(isPodActive);
      if (deadlineMs !== undefined) this.queue.addAfter(key, deadlineMs - nowMs);
    }
    const status: JobStatus = {
      ...job.status,
      startTime,
      active: active.length,
      ready: active.filter(isPodReady).length,
      succeeded,
      failed,
      conditions,
    };
    if (completionTime) status.completionTime = completionTime;
    await this.writer.mutate<Job>(
      this.writer.resource('jobs.batch'),
      namespace,
      name,
      (obj) => {
        obj.status = status;
      },
      { uid: job.metadata.uid },
    );
  }
}
