/**
 * `fedgate up`: a whole local federation in one command — the federation gateway in this
 * process (embedded SQLite in `--data`, join and member ports, DNS) and member clusters as
 * child processes, each on its own loopback range, joined and Ready.
 *
 * stdout carries what a person reads: the progress per member, then a summary (addresses,
 * members, `export KUBECONFIG=...`, how long it took) and, with `--demo`, how to reach the
 * demo. The JSON logs of the gateway and members go to `<data>/logs/` unless `--log-level`
 * is given (then to stderr). Ctrl-C stops the members, then the gateway; a second Ctrl-C
 * kills at once. Running it again on the same `--data` keeps every object and identity.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import type { KubeObject } from '../../apimachinery/index.js';
import { kubeconfigFor, readKubeconfig, targetOf, writeKubeconfig, type GatewayTarget } from '../kubeconfig.js';
import { createLogger } from '../logging.js';
import { MEMBER_KUBECONFIG_FILE } from './member.js';
import { LocalFederation } from './up-federation.js';
import { addMemberContexts } from './up-kubeconfig.js';
import { applyManifests, demoInstructions, demoService, loadDemoManifests, waitForDemo } from './up-demo.js';
import { resolveUpOptions, type UpFlags, type UpOptions } from './up-options.js';
import { formatSeconds, ProgressDisplay } from './up-progress.js';
import { onInterrupt } from './up-signals.js';
import { formatSummary } from './up-summary.js';

// What the command table needs to declare the flags of `fedgate up`.
export {
  DEFAULT_UP_MEMBERS,
  FIRST_MEMBER_OCTET,
  parseMemberCount,
  parseMemberOctet,
  UP_MEMBER_OCTET_HELP,
  UP_MEMBERS_HELP,
  type UpFlags,
} from './up-options.js';

/** How long `fedgate up` waits for every member to be Ready before it prints the summary anyway. */
export const READY_TIMEOUT_MS = 60_000;
/** How long a graceful stop may take in all before everything is killed. */
const STOP_TIMEOUT_MS = 30_000;

function gatewayLogger(o: UpOptions): Logger {
  if (o.logLevel) return createLogger(o.logLevel, 'gateway', 2);
  return pino({ name: 'gateway', level: 'info', base: { pid: process.pid } }, pino.destination({ dest: o.gatewayLogFile, sync: true, mkdir: true }));
}

/** The action of `fedgate up`. */
export async function upCommand(flags: UpFlags): Promise<void> {
  const sinceMs = Date.now();
  // performance.now() counts from the process start: the time a user waits, loading included.
  const elapsed = (): number => performance.now();
  const options = resolveUpOptions(flags);
  if (options.demo && options.members.length === 0) throw new Error('--demo needs at least one member (--members 1 or more)');
  try {
    mkdirSync(options.logsDir, { recursive: true });
  } catch (err) {
    throw new Error(`--data ${options.dataDir}: cannot use it as the data directory (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  const out = process.stdout;
  out.on('error', () => undefined); // a closed pipe must not take the federation down
  const say = (line: string): void => void out.write(`${line}\n`);
  const logger = gatewayLogger(options);

  const progress = new ProgressDisplay(out, options.members, elapsed);
  let progressLive = false;
  const held: string[] = [];
  const federation = new LocalFederation(
    options,
    logger,
    {
      phase: (name, phase, detail) => {
        if (progressLive) progress.set(name, phase, detail);
        // An exit is told by its notice, with the reason and the log file.
        else if (phase !== 'exited') say(`member ${name} is ${phase}${detail ? `: ${detail}` : ''}`);
      },
      notice: (text) => (progressLive ? held.push(text) : say(text)),
    },
    sinceMs,
  );

  const stopDemo = new AbortController();
  onInterrupt({
    stop: (signal) => {
      stopDemo.abort();
      if (progressLive) progress.stop();
      progressLive = false;
      say(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping the members, then the gateway (Ctrl-C again to kill at once)`);
      const timer = setTimeout(() => {
        say(`still stopping after ${STOP_TIMEOUT_MS / 1000}s: killing everything`);
        federation.killNow();
        process.exit(1);
      }, STOP_TIMEOUT_MS);
      timer.unref();
      federation.stop().then(
        () => {
          say('stopped');
          process.exit(0);
        },
        (err: unknown) => {
          process.stderr.write(`fedgate: stopping failed: ${err instanceof Error ? err.message : String(err)}\n`);
          federation.killNow();
          process.exit(1);
        },
      );
    },
    duplicate: (signal) => logger.info({ signal }, 'the same interrupt again (forwarded by a parent process): ignored'),
    kill: () => {
      say('killing everything now');
      federation.killNow();
      process.exit(130);
    },
  });

  try {
    say(`fedgate up: ${options.members.length} member${options.members.length === 1 ? '' : 's'}, ${options.runtime} runtime, data ${options.dataDir}`);
    const gateway = await federation.startGateway();
    if (federation.isStopping) return;
    say(`gateway ${gateway.gateway.url} up after ${formatSeconds(elapsed())}`);
    await federation.startMembers();
    if (federation.isStopping) return;
    progressLive = true;
    progress.start();
    await federation.waitUntilSettled(READY_TIMEOUT_MS);
    progress.stop();
    progressLive = false;
    for (const text of held.splice(0)) say(text);
    if (federation.isStopping) return;

    // The gateway writes its admin kubeconfig (server, CA, admin token) itself; a plain-HTTP
    // one has none, then it is the server alone. `up` talks to the API as the user will.
    const kubeconfigFile = gateway.kubeconfigPath ?? options.kubeconfigFile;
    if (!gateway.kubeconfigPath) writeKubeconfig(kubeconfigFile, kubeconfigFor({ server: gateway.gateway.url }));
    // Each member's own API as one more context (its CA and admin token): kubectl --context eu-west get pods.
    const memberContexts = addMemberContexts(
      kubeconfigFile,
      options.members.map((m) => join(m.dataDir, MEMBER_KUBECONFIG_FILE)),
    );
    const api = targetOf(readKubeconfig(kubeconfigFile), undefined, kubeconfigFile);
    out.write(
      formatSummary({
        apiUrl: api.server,
        dnsAddress: gateway.dnsAddress,
        dnsZone: gateway.dnsZone,
        members: federation.summary(),
        elapsedMs: elapsed(),
        kubeconfigFile,
        memberContexts,
        logsDir: options.logLevel ? undefined : options.logsDir,
      }),
    );
    if (options.demo) await runDemo(options, api, gateway.dnsAddress, gateway.dnsZone, stopDemo.signal, say);
  } catch (err) {
    if (federation.isStopping) return;
    if (progressLive) progress.stop();
    await federation.stop();
    throw err;
  }
}

async function runDemo(
  options: UpOptions,
  api: GatewayTarget,
  dnsAddress: string | undefined,
  dnsZone: string | undefined,
  signal: AbortSignal,
  say: (line: string) => void,
): Promise<void> {
  let objects: KubeObject[];
  try {
    objects = loadDemoManifests();
    say(`demo: ${(await applyManifests(api, objects)).join(', ')}`);
  } catch (err) {
    say(`demo: not applied: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  if (!dnsAddress || !dnsZone) {
    say('demo: the gateway runs no DNS server, so there is no name to wait for');
    return;
  }
  const service = demoService(objects, dnsZone);
  const deployment = objects.find((o) => o.kind === 'Deployment');
  const trafficPolicy = objects.find(
    (o) => o.kind === 'TrafficPolicy' && (o['spec'] as { serviceRef?: { name?: string } } | undefined)?.serviceRef?.name === service.name,
  );
  const http = options.runtime === 'process';
  say(`demo: waiting until ${service.dnsName} answers${http ? ' and serves HTTP' : ''}...`);
  try {
    const answer = await waitForDemo({
      api,
      dnsAddress,
      service,
      deployment: { namespace: deployment?.metadata.namespace ?? service.namespace, name: deployment?.metadata.name ?? service.name },
      trafficPolicy: trafficPolicy ? { namespace: trafficPolicy.metadata.namespace ?? service.namespace, name: trafficPolicy.metadata.name! } : undefined,
      http,
      signal,
    });
    for (const line of demoInstructions(service, deployment?.metadata.name ?? service.name, dnsAddress, answer, http)) say(line);
  } catch (err) {
    if (signal.aborted) return;
    say(`demo: not reachable yet: ${err instanceof Error ? err.message : String(err)}${options.logLevel ? '' : ` (logs: ${options.logsDir})`}`);
  }
}
