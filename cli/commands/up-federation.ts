/**
 * A local federation as `fedgate up` runs it: the federation gateway in this process and
 * member clusters as child processes, joined with bootstrap tokens made here.
 *
 * Identities are kept: a member whose data directory holds credentials the gateway still
 * knows (same CA, a Cluster with its certificate) reconnects with them and gets no token;
 * only members that never joined, or whose identity the gateway no longer knows, join.
 *
 * Stopping is ordered: members first (each stops its pods, then itself), then the gateway,
 * so the gateway sees its members leave and nothing is left behind.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import type { Logger } from 'pino';
import { ClusterConditions, storeKey, type Cluster } from '../../apimachinery/index.js';
import { hasMemberCredentials, loadMemberCredentials, memberPkiPaths } from '../../member-cluster/index.js';
import { caCertHash } from '../../proto/index.js';
import { certificateFingerprint, certificateStanding, clusterResource, createToken } from '../../replicator/index.js';
import { startFederationGateway, type RunningFederationGateway } from './gateway.js';
import { ClusterWatch, runningPhase, startupPhase } from './up-clusters.js';
import { MemberProcess, type MemberExit } from './up-member-process.js';
import type { MemberPlan, UpOptions } from './up-options.js';
import type { MemberPhase } from './up-progress.js';
import type { SummaryMember } from './up-summary.js';

/** How long a bootstrap token made by `fedgate up` stays valid (it is used within seconds). */
export const UP_TOKEN_TTL_SECONDS = 600;
/** How long a member may take to stop its pods and itself before it is killed. */
export const MEMBER_STOP_GRACE_MS = 15_000;
/** Log level of the gateway and members when their logs go to files. */
export const FILE_LOG_LEVEL = 'info';

/** What the federation reports while it runs. */
export interface LocalFederationEvents {
  /** A member moved to a new phase (progress, then Ready/NotReady changes). */
  phase(name: string, phase: MemberPhase, detail?: string): void;
  /** Something a user should read (a rejoin, an unexpected exit). */
  notice(text: string): void;
}

/**
 * Why a member with stored credentials cannot reconnect with them, or undefined when it can:
 * the gateway must have the CA the member trusts, and a Cluster that accepts the member's
 * certificate (current, or previous during a rotation), which must not have expired.
 */
export function staleIdentityReason(
  credentials: { caPem: string; certPem: string },
  gatewayCaHash: string,
  cluster: Cluster | undefined,
  now = new Date(),
): string | undefined {
  if (caCertHash(credentials.caPem) !== gatewayCaHash) return 'it joined a gateway with another CA';
  if (!cluster) return 'the gateway has no Cluster for it';
  if (certificateStanding(cluster, certificateFingerprint(credentials.certPem)) === undefined) {
    return 'the gateway no longer accepts its certificate';
  }
  if (Date.parse(new X509Certificate(credentials.certPem).validTo) <= now.getTime()) return 'its certificate has expired';
  return undefined;
}

/** Why a Cluster is not Ready, in the gateway's words. */
function notReadyReason(cluster: Cluster | undefined): string | undefined {
  const ready = cluster?.status?.conditions?.find((c) => c.type === ClusterConditions.Ready);
  return ready?.status === 'False' ? (ready.message ?? ready.reason) : undefined;
}

function describeExit(exit: MemberExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code ?? '?'}`;
}

/** The gateway and the member processes of one `fedgate up`. */
export class LocalFederation {
  private gateway: RunningFederationGateway | undefined;
  private gatewayStarting: Promise<unknown> | undefined;
  private readonly members = new Map<string, MemberProcess>();
  private readonly phases = new Map<string, MemberPhase>();
  private clusters: ClusterWatch | undefined;
  private startedUp = false;
  private stopping = false;
  private onSettled: (() => void) | undefined;

  constructor(
    private readonly options: UpOptions,
    private readonly logger: Logger,
    private readonly events: LocalFederationEvents,
    /** Wall-clock start of this run: Ready transitions before it are from an earlier run. */
    private readonly sinceMs: number,
  ) {}

  /** The running gateway (after `startGateway`). */
  get running(): RunningFederationGateway {
    if (!this.gateway) throw new Error('the gateway has not started');
    return this.gateway;
  }

  /** True once `stop` was called. */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** Starts the gateway: API, replicator, join and member ports, DNS. */
  async startGateway(): Promise<RunningFederationGateway> {
    const o = this.options;
    const starting = startFederationGateway(
      {
        data: o.dataDir,
        listen: o.listen,
        joinListen: o.joinListen,
        memberListen: o.memberListen,
        dnsListen: o.dnsListen,
        logLevel: o.logLevel ?? FILE_LOG_LEVEL,
      },
      this.logger,
    );
    const started = starting.then((gateway) => (this.gateway = gateway));
    // `stop` waits for a start in progress, then stops what it started.
    this.gatewayStarting = started.catch(() => undefined);
    return started;
  }

  /**
   * Makes tokens for the members that need one (all at once, so the store commits them
   * together), starts every member process, and follows the Clusters.
   */
  async startMembers(): Promise<void> {
    const gateway = this.running;
    const store = gateway.gateway.store;
    const plans = this.options.members;
    const needsToken = await Promise.all(plans.map((plan) => this.needsJoin(plan, gateway)));
    const tokens = await Promise.all(
      plans.map((plan, i) =>
        needsToken[i] ? createToken(store, { ttlSeconds: UP_TOKEN_TTL_SECONDS, description: `fedgate up: member ${plan.name}` }) : undefined,
      ),
    );
    if (this.stopping) return;
    this.clusters = new ClusterWatch(store, () => this.refreshPhases());
    for (const [i, plan] of plans.entries()) {
      mkdirSync(plan.dataDir, { recursive: true });
      const args = [
        '--name', plan.name,
        '--data', plan.dataDir,
        '--pod-cidr', plan.podCidr,
        '--external-ip', plan.externalIp,
        '--listen', plan.apiListen,
        '--region', plan.region,
        '--runtime', this.options.runtime,
        '--log-level', this.options.logLevel ?? FILE_LOG_LEVEL,
        '--gateway-address', gateway.memberAddress,
      ];
      const token = tokens[i];
      if (token) args.push('--join', gateway.joinAddress, '--token', token.token, '--ca-hash', gateway.caHash);
      const member = new MemberProcess({ name: plan.name, args, logFile: this.options.logLevel ? undefined : plan.logFile });
      this.members.set(plan.name, member);
      this.phases.set(plan.name, 'starting');
      void member.exited.then((exit) => this.memberExited(member, exit));
    }
    await this.clusters.start();
  }

  /**
   * Resolves when every member is Ready or has exited, or after `timeoutMs` (members not
   * Ready by then show as such in the summary). From then on, Ready/NotReady changes are
   * reported as they happen.
   */
  async waitUntilSettled(timeoutMs: number): Promise<void> {
    if (!this.settled()) {
      await new Promise<void>((done) => {
        const timer = setTimeout(done, timeoutMs);
        this.onSettled = () => {
          clearTimeout(timer);
          done();
        };
      });
    }
    this.onSettled = undefined;
    this.startedUp = true;
    // From here on a member is Ready or NotReady; the summary tells which, so say nothing now.
    for (const [name, member] of this.members) {
      if (member.running) this.phases.set(name, runningPhase(this.clusters?.get(name), this.sinceMs));
    }
  }

  /** The member lines of the summary. */
  summary(): SummaryMember[] {
    return this.options.members.map((plan) => {
      const phase = this.phases.get(plan.name) ?? 'starting';
      const state = phase === 'exited' ? 'exited' : runningPhase(this.clusters?.get(plan.name), this.sinceMs);
      return { name: plan.name, region: plan.region, api: `https://${plan.apiListen}`, pods: plan.podCidr, state };
    });
  }

  /** Stops the members (in parallel; each stops its pods), then the gateway. Safe to call at any time, once. */
  async stop(graceMs = MEMBER_STOP_GRACE_MS): Promise<void> {
    this.stopping = true;
    this.clusters?.stop();
    await Promise.all([...this.members.values()].map((m) => m.stop(graceMs)));
    await this.gatewayStarting;
    await this.gateway?.stop();
  }

  /** SIGKILLs every member now (their pods die with them); the gateway ends with this process. */
  killNow(): void {
    this.stopping = true;
    for (const m of this.members.values()) m.kill();
  }

  /** PIDs of the member processes still running. */
  memberPids(): number[] {
    return [...this.members.values()].filter((m) => m.running && m.pid !== undefined).map((m) => m.pid!);
  }

  /** True when the member has no usable identity: it never joined, or the gateway does not know it (then it is moved aside). */
  private async needsJoin(plan: MemberPlan, gateway: RunningFederationGateway): Promise<boolean> {
    if (!hasMemberCredentials(plan.dataDir)) return true;
    let reason: string | undefined;
    try {
      const credentials = loadMemberCredentials(plan.dataDir);
      const kv = await gateway.gateway.store.get(storeKey(clusterResource, undefined, plan.name));
      reason = staleIdentityReason(credentials, gateway.caHash, kv ? (JSON.parse(kv.value) as Cluster) : undefined);
    } catch (err) {
      reason = `its credentials cannot be read (${err instanceof Error ? err.message : String(err)})`;
    }
    if (reason === undefined) return false;
    const pki = memberPkiPaths(plan.dataDir).dir;
    let aside = `${pki}.stale-${Date.now()}`;
    for (let n = 1; existsSync(aside); n++) aside = `${pki}.stale-${Date.now()}-${n}`;
    renameSync(pki, aside);
    this.events.notice(`${plan.name}: ${reason}; it joins again (old credentials kept in ${aside})`);
    return true;
  }

  private setPhase(name: string, phase: MemberPhase, detail?: string): void {
    if (this.phases.get(name) === phase && detail === undefined) return;
    this.phases.set(name, phase);
    this.events.phase(name, phase, detail);
  }

  private refreshPhases(): void {
    if (this.stopping) return;
    for (const [name, member] of this.members) {
      if (!member.running) continue;
      const cluster = this.clusters?.get(name);
      if (!this.startedUp) {
        this.setPhase(name, startupPhase(cluster, this.sinceMs));
        continue;
      }
      const phase = runningPhase(cluster, this.sinceMs);
      if (phase !== this.phases.get(name)) this.setPhase(name, phase, phase === 'NotReady' ? notReadyReason(cluster) : undefined);
    }
    if (!this.startedUp && this.settled()) this.onSettled?.();
  }

  private settled(): boolean {
    return [...this.members.keys()].every((name) => {
      const phase = this.phases.get(name);
      return phase === 'Ready' || phase === 'exited';
    });
  }

  private memberExited(member: MemberProcess, exit: MemberExit): void {
    if (this.stopping) return;
    const why = member.lastError();
    const where = this.options.logLevel ? '' : ` (log: ${this.options.members.find((p) => p.name === member.name)?.logFile})`;
    this.setPhase(member.name, 'exited', describeExit(exit));
    this.events.notice(`member ${member.name} exited unexpectedly (${describeExit(exit)})${why ? `: ${why}` : ''}${where}; the others keep running`);
    this.logger.warn({ member: member.name, ...exit, why }, 'member exited unexpectedly');
    if (!this.startedUp && this.settled()) this.onSettled?.();
  }
}
