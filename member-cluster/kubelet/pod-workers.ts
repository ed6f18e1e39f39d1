/**
 * Pod workers: one per pod bound to this node, keyed by uid (after the Kubernetes
 * kubelet's pod_workers.go). A worker's `sync()` is level-triggered and never runs twice
 * at once: informer events, container exits, probe results and timers only request a sync.
 *
 * One sync: stop everything if the pod is being deleted or gone; otherwise take a pod IP,
 * prepare volumes, run init containers one by one to completion, start the containers,
 * restart exited ones by restartPolicy with crash-loop back-off, enforce
 * activeDeadlineSeconds, and write the status when it changed.
 */
import fs from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ResourceInfo } from '../../apimachinery/index.js';
import type { Clock, Logger, TimerHandle } from '../../controller/index.js';
import type { Store } from '../../store/index.js';
import type { ContainerStatus, Pod, PodPhase, PodStatus } from '../api-types.js';
import type { IpAllocator } from '../ip-allocator.js';
import {
  ContainerStartError,
  podDir,
  podRunDir,
  podStateFile,
  type ContainerExit,
  type ContainerMount,
  type PodRef,
  type PodRuntime,
} from '../runtime/index.js';
import { containerArgv, resolveContainerEnv, type ConfigLookup } from './container-env.js';
import { ContainerRun } from './container-run.js';
import { crashLoopDelayMs, nextCrashLoopStep } from './crash-loop-backoff.js';
import { buildPodStatus } from './pod-status.js';
import { deletePodFinally, writePodStatus, type PodLocation } from './pod-store.js';
import { ProbeWorker, runProbe, type ProbeKind } from './probes.js';
import { containerMounts, prepareVolumes, type PreparedVolume } from './volumes.js';

/** Kubernetes' default terminationGracePeriodSeconds. */
export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;
/** Retry delay after a failed sync or a missing ConfigMap/Secret, ms. */
const SYNC_RETRY_MS = 1000;
/** The terminated reason of containers that were running when the member process died. */
export const MEMBER_RESTART_REASON = 'Unknown';
/** ... and its message. */
export const MEMBER_RESTART_MESSAGE = 'the member restarted';

/** What every pod worker of one kubelet shares. */
export interface PodWorkerContext {
  nodeName: string;
  hostIP: string;
  dataDir: string;
  store: Store;
  pods: ResourceInfo;
  runtime: PodRuntime;
  podIPs: IpAllocator;
  lookup: ConfigLookup;
  clock: Clock;
  logger: Logger;
  crashLoopBaseMs: number;
  crashLoopMaxMs: number;
}

interface Terminal {
  phase: 'Succeeded' | 'Failed';
  reason?: string;
  message?: string;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Runs one pod. */
export class PodWorker {
  readonly uid: string;
  private pod: Readonly<Pod>;
  private gone = false;
  private finished = false;
  private firstSync = true;
  private syncing = false;
  private again = false;
  private podIP: string | undefined;
  private startTime: string | undefined;
  private volumes: Map<string, PreparedVolume> | undefined;
  private terminal: Terminal | undefined;
  private podError: ContainerStartError | undefined;
  private readonly initRuns: ContainerRun[];
  private readonly runs: ContainerRun[];
  private wakeTimer: TimerHandle | undefined;
  private wakeAt = Infinity;
  private lastBuilt: PodStatus | undefined;
  private readonly dir: string;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};

  constructor(
    pod: Readonly<Pod>,
    private readonly ctx: PodWorkerContext,
    private readonly onDone: (uid: string) => void,
  ) {
    this.pod = pod;
    this.uid = pod.metadata.uid ?? '';
    this.dir = podDir(ctx.dataDir, this.ref());
    this.initRuns = (pod.spec.initContainers ?? []).map((c) => new ContainerRun(c, true));
    this.runs = pod.spec.containers.map((c) => new ContainerRun(c, false));
  }

  /** The pod changed in the store. */
  update(pod: Readonly<Pod>): void {
    this.pod = pod;
    this.requestSync();
  }

  /** The pod disappeared from the store: stop it. */
  remove(): void {
    this.gone = true;
    this.requestSync();
  }

  /** Resolves once no sync is running. */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  /** The handles of running containers (for tests and `describe`). */
  containerStatuses(): ContainerStatus[] {
    return [...this.initRuns, ...this.runs].map((r) => r.toStatus());
  }

  /** Stops the containers (gracefully) without touching the pod object; the worker ends. */
  async shutdown(): Promise<void> {
    await this.whenIdle();
    this.finished = true;
    this.clearWake();
    await this.stopAll(this.graceMs());
  }

  /** Forgets the pod but leaves its processes running (a member restart finds them). */
  abandon(): void {
    this.finished = true;
    this.clearWake();
    for (const r of [...this.initRuns, ...this.runs]) r.stopProbes();
  }

  /** Asks for a sync; coalesces while one runs. */
  requestSync(): void {
    if (this.finished) return;
    if (this.syncing) {
      this.again = true;
      return;
    }
    void this.loop();
  }

  private async loop(): Promise<void> {
    this.syncing = true;
    this.idle = new Promise((resolve) => (this.markIdle = resolve));
    try {
      do {
        this.again = false;
        try {
          await this.sync();
        } catch (err) {
          this.ctx.logger.warn({ pod: this.key(), err }, 'pod sync failed; retrying');
          this.wake(this.ctx.clock.now() + SYNC_RETRY_MS);
        }
      } while (this.again && !this.finished);
    } finally {
      this.syncing = false;
      this.markIdle();
    }
  }

  private ref(): PodRef {
    return { namespace: this.pod.metadata.namespace ?? 'default', name: this.pod.metadata.name ?? '', uid: this.uid, nodeName: this.ctx.nodeName };
  }

  private key(): string {
    return `${this.pod.metadata.namespace ?? 'default'}/${this.pod.metadata.name ?? ''}`;
  }

  private location(): PodLocation {
    const r = this.ref();
    return { store: this.ctx.store, pods: this.ctx.pods, namespace: r.namespace, name: r.name, uid: this.uid };
  }

  private graceMs(): number {
    const s = this.pod.metadata.deletionGracePeriodSeconds ?? this.pod.spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
    return Math.max(0, s) * 1000;
  }

  private wake(at: number): void {
    if (this.finished || at >= this.wakeAt) return;
    this.clearWake();
    this.wakeAt = at;
    this.wakeTimer = this.ctx.clock.setTimeout(() => {
      this.wakeTimer = undefined;
      this.wakeAt = Infinity;
      this.requestSync();
    }, at - this.ctx.clock.now());
  }

  private clearWake(): void {
    if (this.wakeTimer !== undefined) this.ctx.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.wakeAt = Infinity;
  }

  // ---- the sync ----

  private async sync(): Promise<void> {
    if (this.finished) return;
    if (this.gone || this.pod.metadata.deletionTimestamp) {
      await this.terminate();
      return;
    }
    const now = this.ctx.clock.now();
    if (this.firstSync) {
      this.firstSync = false;
      if (this.ctx.runtime.runsProcesses) await this.ctx.runtime.killLeftovers(this.ref(), this.dir);
      this.restore(this.pod.status, now);
    }
    if (!this.terminal) {
      this.ensureIP();
      this.startTime ??= iso(now);
      this.checkDeadline(now);
    }
    if (!this.terminal) await this.runContainers(now);
    if (this.terminal) await this.stopAll(this.graceMs());
    await this.writeStatus();
  }

  /** Picks up what an earlier member process reported (a restart), so counts and the IP carry over. */
  private restore(status: Readonly<PodStatus> | undefined, now: number): void {
    if (!status) return;
    if (status.podIP) this.podIP = status.podIP;
    if (status.startTime) this.startTime = status.startTime;
    if (status.phase === 'Succeeded' || status.phase === 'Failed') {
      this.terminal = { phase: status.phase, reason: status.reason, message: status.message };
    }
    const initialized = status.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True') ?? false;
    const restoreRun = (run: ContainerRun, old: ContainerStatus | undefined): void => {
      if (!old) return;
      run.restartCount = old.restartCount ?? 0;
      run.lastState = old.lastState ?? {};
      run.containerID = old.containerID;
      run.state = old.state;
      const t = old.state.terminated ?? (old.state.waiting ? old.lastState?.terminated : undefined);
      if (old.state.running) {
        // The member died under a running container (pdeathsig killed it): a restart, as after a node reboot.
        const terminated = { exitCode: 255, reason: MEMBER_RESTART_REASON, message: MEMBER_RESTART_MESSAGE, startedAt: old.state.running.startedAt, finishedAt: iso(now) };
        run.state = { terminated };
        run.lastExit = { exitCode: 255, reason: 'Error', message: MEMBER_RESTART_MESSAGE, finishedAt: now };
        run.everRan = true;
      } else if (t) {
        run.lastExit = { exitCode: t.exitCode, reason: t.exitCode === 0 ? 'Completed' : 'Error', finishedAt: now };
        run.everRan = true;
        if (!old.state.terminated) run.state = { terminated: t };
      }
    };
    const byName = (list: ContainerStatus[] | undefined, name: string) => list?.find((s) => s.name === name);
    for (const run of this.initRuns) {
      restoreRun(run, byName(status.initContainerStatuses, run.spec.name));
      if (initialized && !run.succeeded) {
        run.lastExit = { exitCode: 0, reason: 'Completed', finishedAt: now };
        run.state = { terminated: { exitCode: 0, reason: 'Completed' } };
        run.everRan = true;
      }
    }
    for (const run of this.runs) restoreRun(run, byName(status.containerStatuses, run.spec.name));
  }

  private ensureIP(): void {
    if (this.podIP) return;
    this.podIP = this.pod.status?.podIP ?? this.ctx.podIPs.allocate();
  }

  private checkDeadline(now: number): void {
    const seconds = this.pod.spec.activeDeadlineSeconds;
    if (seconds === undefined || !this.startTime) return;
    const deadline = Date.parse(this.startTime) + seconds * 1000;
    if (now >= deadline) {
      this.terminal = { phase: 'Failed', reason: 'DeadlineExceeded', message: `Pod was active on the node longer than the specified deadline (${seconds}s)` };
    } else {
      this.wake(deadline);
    }
  }

  private restartPolicy(): 'Always' | 'OnFailure' | 'Never' {
    return this.pod.spec.restartPolicy ?? 'Always';
  }

  private async runContainers(now: number): Promise<void> {
    if (this.volumes === undefined) {
      try {
        this.volumes = this.ctx.runtime.runsProcesses
          ? prepareVolumes(this.pod, { dataDir: this.ctx.dataDir, podDir: this.dir }, this.ctx.lookup)
          : new Map();
        this.podError = undefined;
      } catch (err) {
        if (!(err instanceof ContainerStartError)) throw err;
        this.podError = err;
        for (const r of [...this.initRuns, ...this.runs]) if (!r.everRan) r.state = { waiting: { reason: err.reason, message: err.message } };
        this.wake(now + SYNC_RETRY_MS);
        return;
      }
    }
    // Init containers: one at a time, in order, each to success.
    for (const run of this.initRuns) {
      if (run.succeeded) continue;
      if (run.running) return;
      if (!run.everRan) {
        if (run.restartAt <= now) await this.start(run, now);
        else this.wake(run.restartAt);
        return;
      }
      if (this.restartPolicy() === 'Never') {
        this.terminal = { phase: 'Failed', reason: 'Init:Error', message: `init container ${run.spec.name} failed` };
        return;
      }
      await this.restartWhenDue(run, now);
      return;
    }
    for (const run of this.runs) {
      if (run.running) continue;
      if (!run.everRan) {
        if (run.restartAt <= now) await this.start(run, now);
        else this.wake(run.restartAt);
        continue;
      }
      const policy = this.restartPolicy();
      if (policy === 'Always' || (policy === 'OnFailure' && run.lastExit?.exitCode !== 0)) await this.restartWhenDue(run, now);
    }
    if (this.runs.every((r) => !r.running && r.everRan && r.lastExit !== undefined)) {
      const policy = this.restartPolicy();
      const restarting = policy === 'Always' || (policy === 'OnFailure' && this.runs.some((r) => r.lastExit!.exitCode !== 0));
      if (!restarting) this.terminal = { phase: this.runs.every((r) => r.lastExit!.exitCode === 0) ? 'Succeeded' : 'Failed' };
    }
  }

  private async restartWhenDue(run: ContainerRun, now: number): Promise<void> {
    if (run.restartAt > now) {
      const delay = Math.round((run.restartAt - now) / 1000);
      run.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${delay}s restarting failed container=${run.spec.name} pod=${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.uid})` } };
      this.wake(run.restartAt);
      return;
    }
    await this.start(run, now);
  }

  private async start(run: ContainerRun, now: number): Promise<void> {
    const restart = run.everRan;
    const ref = this.ref();
    const podIP = this.podIP!;
    let mounts: ContainerMount[] = [];
    try {
      const env = resolveContainerEnv(this.pod, run.spec, this.ctx.lookup, { podIP, hostIP: this.ctx.hostIP, nodeName: this.ctx.nodeName });
      if (this.ctx.runtime.runsProcesses) mounts = containerMounts(run.spec, this.volumes!);
      const handle = await this.ctx.runtime.startContainer({
        pod: ref,
        podDir: this.dir,
        name: run.spec.name,
        image: run.spec.image,
        argv: containerArgv(run.spec, env),
        env,
        workingDir: run.spec.workingDir,
        mounts,
        restartCount: restart ? run.restartCount + 1 : run.restartCount,
        annotations: this.pod.metadata.annotations ?? {},
      });
      if (restart) {
        run.restartCount++;
        run.lastState = run.state.terminated ? { terminated: run.state.terminated } : run.lastState;
      }
      run.everRan = true;
      run.handle = handle;
      run.containerID = handle.id;
      run.lastExit = undefined;
      run.state = { running: { startedAt: iso(handle.startedAt) } };
      run.started = !run.spec.startupProbe;
      run.ready = run.started && !run.spec.readinessProbe;
      this.startProbes(run);
      void handle.exited.then((exit) => this.onExit(run, handle, exit));
    } catch (err) {
      if (!(err instanceof ContainerStartError)) throw err;
      this.ctx.logger.info({ pod: this.key(), container: run.spec.name, reason: err.reason, err }, 'container did not start');
      const delay = crashLoopDelayMs(Math.max(1, run.backoffStep), this.ctx.crashLoopBaseMs, this.ctx.crashLoopMaxMs);
      run.backoffStep++;
      run.restartAt = now + delay;
      run.state = { waiting: { reason: err.reason, message: err.message } };
      this.wake(run.restartAt);
    }
  }

  private onExit(run: ContainerRun, handle: NonNullable<ContainerRun['handle']>, exit: ContainerExit): void {
    if (run.handle !== handle) return;
    run.stopProbes();
    run.handle = undefined;
    run.ready = false;
    run.started = false;
    run.lastExit = exit;
    const signal = exit.signal ? osConstants.signals[exit.signal as NodeJS.Signals] : undefined;
    run.state = {
      terminated: {
        exitCode: exit.exitCode,
        ...(signal !== undefined ? { signal } : {}),
        reason: exit.reason,
        ...(exit.message ? { message: exit.message } : {}),
        startedAt: iso(handle.startedAt),
        finishedAt: iso(exit.finishedAt),
      },
    };
    // Crash-loop back-off: immediate first restart, then 10 s doubling; a long run resets it.
    const ranMs = exit.finishedAt - handle.startedAt;
    const step = ranMs >= 2 * this.ctx.crashLoopMaxMs ? 0 : run.backoffStep;
    run.restartAt = this.ctx.clock.now() + crashLoopDelayMs(step, this.ctx.crashLoopBaseMs, this.ctx.crashLoopMaxMs);
    run.backoffStep = nextCrashLoopStep(run.backoffStep, ranMs, this.ctx.crashLoopMaxMs);
    this.requestSync();
  }

  private startProbes(run: ContainerRun): void {
    const handle = run.handle!;
    const make = (kind: ProbeKind): ProbeWorker | undefined => {
      const probe = kind === 'readiness' ? run.spec.readinessProbe : kind === 'liveness' ? run.spec.livenessProbe : run.spec.startupProbe;
      if (!probe) return undefined;
      const w = new ProbeWorker({
        kind,
        probe,
        clock: this.ctx.clock,
        check: () => runProbe(probe, { podIP: this.podIP!, container: run.spec, handle, runtime: this.ctx.runtime }),
        onChange: (passing, outcome) => {
          if (run.handle !== handle) return;
          if (kind === 'readiness') {
            run.ready = passing && run.started;
            this.requestSync();
          } else if (kind === 'startup' && passing) {
            run.started = true;
            run.ready = !run.spec.readinessProbe;
            startMain();
            this.requestSync();
          } else if (!passing) {
            this.ctx.logger.info({ pod: this.key(), container: run.spec.name, probe: kind, message: outcome.message }, 'container failed its probe; restarting it');
            void handle.stop(this.graceMs());
          }
        },
      });
      run.probes.push(w);
      w.start();
      return w;
    };
    const startMain = (): void => {
      make('liveness');
      make('readiness');
    };
    if (run.spec.startupProbe) make('startup');
    else startMain();
  }

  // ---- stopping ----

  private async stopAll(graceMs: number): Promise<void> {
    const running = [...this.initRuns, ...this.runs].filter((r) => r.handle);
    for (const r of [...this.initRuns, ...this.runs]) r.stopProbes();
    await Promise.all(running.map((r) => r.handle!.stop(graceMs)));
  }

  private async terminate(): Promise<void> {
    this.clearWake();
    await this.stopAll(this.graceMs());
    this.finished = true;
    if (this.podIP && this.ctx.podIPs) this.ctx.podIPs.release(this.podIP);
    if (this.ctx.runtime.runsProcesses) this.cleanDir();
    if (!this.gone && this.pod.metadata.deletionTimestamp) {
      const result = await deletePodFinally(this.location());
      if (result === 'finalizers') this.ctx.logger.info({ pod: this.key() }, 'pod stopped; its finalizers keep the object');
    }
    this.onDone(this.uid);
  }

  /** Removes the pod directory except the logs (kept for `fedgate logs` of deleted pods). */
  private cleanDir(): void {
    for (const p of [path.join(this.dir, '.volumes'), podRunDir(this.dir), podStateFile(this.dir)]) {
      try {
        fs.rmSync(p, { recursive: true, force: true });
      } catch (err) {
        this.ctx.logger.warn({ pod: this.key(), path: p, err }, 'could not remove pod files');
      }
    }
  }

  // ---- status ----

  private phase(): PodPhase {
    if (this.terminal) return this.terminal.phase;
    if (!this.initRuns.every((r) => r.succeeded)) return 'Pending';
    return this.runs.some((r) => r.everRan) ? 'Running' : 'Pending';
  }

  private async writeStatus(): Promise<void> {
    const usesVolumes = this.ctx.runtime.runsProcesses && [...this.initRuns, ...this.runs].some((r) => (r.spec.volumeMounts ?? []).length > 0);
    const built = buildPodStatus({
      phase: this.phase(),
      reason: this.terminal?.reason,
      message: this.terminal?.message ?? (this.podError ? this.podError.message : undefined),
      podIP: this.podIP,
      hostIP: this.ctx.hostIP,
      startTime: this.startTime,
      initialized: this.initRuns.every((r) => r.succeeded),
      initContainerStatuses: this.initRuns.map((r) => r.toStatus()),
      containerStatuses: this.runs.map((r) => r.toStatus()),
      volumeMountsAtPath: usesVolumes ? this.ctx.runtime.mountsAtPath : undefined,
    });
    if (this.lastBuilt && isDeepStrictEqual(this.lastBuilt, built)) return;
    const result = await writePodStatus(this.location(), built, iso(this.ctx.clock.now()));
    if (result !== 'gone') this.lastBuilt = built;
  }
}

/** The workers of one kubelet, by pod uid. */
export class PodWorkers {
  private readonly workers = new Map<string, PodWorker>();

  constructor(private readonly ctx: PodWorkerContext) {}

  /** A pod bound to this node was added or changed. */
  update(pod: Readonly<Pod>): void {
    const uid = pod.metadata.uid;
    if (!uid) return;
    let w = this.workers.get(uid);
    if (!w) {
      w = new PodWorker(pod, this.ctx, (done) => this.workers.delete(done));
      this.workers.set(uid, w);
      w.requestSync();
      return;
    }
    w.update(pod);
  }

  /** A pod left the store. */
  remove(pod: Readonly<Pod>): void {
    const w = pod.metadata.uid ? this.workers.get(pod.metadata.uid) : undefined;
    w?.remove();
  }

  /** The worker of a pod, if any. */
  get(uid: string): PodWorker | undefined {
    return this.workers.get(uid);
  }

  /** Number of pods with a worker. */
  get size(): number {
    return this.workers.size;
  }

  /** Stops every pod's containers and ends the workers. */
  async shutdown(): Promise<void> {
    const all = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(all.map((w) => w.shutdown()));
  }

  /** Ends the workers, leaving their containers running. */
  abandon(): void {
    for (const w of this.workers.values()) w.abandon();
    this.workers.clear();
  }
}
