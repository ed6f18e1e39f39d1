/**
 * The flags of `fedgate up`, resolved once: which member clusters to run (a fixed list of
 * names, regions and loopback ranges), where everything lives under the data directory, and
 * the addresses the gateway listens on.
 */
import { InvalidArgumentError } from 'commander';
import { join, resolve } from 'node:path';
import type { RuntimeName } from '../../member-cluster/index.js';
import { parseHostPort } from '../listen-address.js';
import { KUBECONFIG_FILE } from '../kubeconfig.js';

/** The member clusters `fedgate up` can run, in the order `--members N` takes them. */
export const MEMBER_SLOTS: readonly { name: string; region: string }[] = [
  { name: 'eu-west', region: 'eu-west' },
  { name: 'us-east', region: 'us-east' },
  { name: 'ap-south', region: 'ap-south' },
  { name: 'eu-north', region: 'eu-north' },
  { name: 'us-west', region: 'us-west' },
  { name: 'ap-east', region: 'ap-east' },
  { name: 'sa-east', region: 'sa-east' },
  { name: 'me-central', region: 'me-central' },
];

/** Members `fedgate up` runs without `--members`. */
export const DEFAULT_UP_MEMBERS = 3;

/** Default second octet of the first member's loopback range: member i owns 127.(10+i).0.0/16. */
export const FIRST_MEMBER_OCTET = 10;

/** Port of each member's local API on its own loopback address. */
export const UP_MEMBER_API_PORT = 10443;

/** Help of `--members`: the rule that picks names, regions and ranges. */
export const UP_MEMBERS_HELP =
  `how many member clusters to run, 0-${MEMBER_SLOTS.length}: the first N of ${MEMBER_SLOTS.map((s) => s.name).join(', ')} ` +
  `(region = name); member i (from 0) gets pods in 127.(B+i).0.0/16 and its API on 127.(B+i).0.1:${UP_MEMBER_API_PORT}, B = --member-octet`;

/** Help of `--member-octet`. */
export const UP_MEMBER_OCTET_HELP =
  'B, the second octet of the first member\'s loopback range (to run two federations side by side; keep it for a data directory: members keep their addresses)';

/** Flags of `fedgate up`, as commander hands them over. */
export interface UpFlags {
  members: number | string;
  runtime: RuntimeName;
  data: string;
  listen: string;
  joinListen: string;
  memberListen: string;
  dnsListen: string;
  /** Second octet of the first member's range (default FIRST_MEMBER_OCTET). */
  memberOctet?: number | string;
  demo?: boolean;
  /** Set only when given: then logs go to stderr instead of files. */
  logLevel?: string;
}

/** One member cluster as `fedgate up` runs it. */
export interface MemberPlan {
  name: string;
  region: string;
  /** Pod range, e.g. `127.10.0.0/16`. */
  podCidr: string;
  /** The member's own address: LoadBalancer Services and its local API. */
  externalIp: string;
  /** `host:port` of its local API. */
  apiListen: string;
  /** Absolute data directory: `<data>/members/<name>`. */
  dataDir: string;
  /** Absolute log file: `<data>/logs/member-<name>.log`. */
  logFile: string;
}

/** Resolved options of `fedgate up`. */
export interface UpOptions {
  /** Absolute data directory. */
  dataDir: string;
  logsDir: string;
  gatewayLogFile: string;
  kubeconfigFile: string;
  members: MemberPlan[];
  runtime: RuntimeName;
  listen: string;
  joinListen: string;
  memberListen: string;
  dnsListen: string;
  demo: boolean;
  /** When set, the gateway and members log at this level to stderr; otherwise at info to files. */
  logLevel?: string;
}

/** Parses `--members`: a whole number from 0 to the number of member slots. */
export function parseMemberCount(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n >= 0 && n <= MEMBER_SLOTS.length)) {
    throw new InvalidArgumentError(`expected a whole number from 0 to ${MEMBER_SLOTS.length}`);
  }
  return n;
}

/** Parses `--member-octet`: 1-255, leaving room for every member slot. */
export function parseMemberOctet(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  const max = 256 - MEMBER_SLOTS.length;
  if (!(n >= 1 && n <= max)) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
  return n;
}

/** The plan of member `index` (0-based) under the data directory `dataDir`. */
export function memberPlan(index: number, dataDir: string, logsDir: string, firstOctet = FIRST_MEMBER_OCTET): MemberPlan {
  const slot = MEMBER_SLOTS[index];
  if (!slot) throw new RangeError(`there are ${MEMBER_SLOTS.length} member slots, not ${index + 1}`);
  const octet = firstOctet + index;
  const externalIp = `127.${octet}.0.1`;
  return {
    name: slot.name,
    region: slot.region,
    podCidr: `127.${octet}.0.0/16`,
    externalIp,
    apiListen: `${externalIp}:${UP_MEMBER_API_PORT}`,
    dataDir: join(dataDir, 'members', slot.name),
    logFile: join(logsDir, `member-${slot.name}.log`),
  };
}

/** Checks the flags and fixes every path and member; throws an Error with a user-facing message. */
export function resolveUpOptions(flags: UpFlags, cwd = process.cwd()): UpOptions {
  const count = typeof flags.members === 'number' ? flags.members : parseMemberCount(String(flags.members));
  if (!Number.isInteger(count) || count < 0 || count > MEMBER_SLOTS.length) {
    throw new Error(`--members: expected a whole number from 0 to ${MEMBER_SLOTS.length}`);
  }
  if (flags.runtime !== 'process' && flags.runtime !== 'simulated') {
    throw new Error(`--runtime: "${String(flags.runtime)}" is not process or simulated`);
  }
  if (!flags.data || flags.data.trim() === '') throw new Error('--data: give a directory');
  const firstOctet = flags.memberOctet === undefined ? FIRST_MEMBER_OCTET : Number(flags.memberOctet);
  if (!Number.isInteger(firstOctet) || firstOctet < 1 || firstOctet + MEMBER_SLOTS.length > 256) {
    throw new Error(`--member-octet: expected a whole number from 1 to ${256 - MEMBER_SLOTS.length}`);
  }
  // Fail before anything starts when an address is malformed.
  parseHostPort(flags.listen, '--listen');
  parseHostPort(flags.joinListen, '--join-listen');
  parseHostPort(flags.memberListen, '--member-listen');
  parseHostPort(flags.dnsListen, '--dns-listen');
  const dataDir = resolve(cwd, flags.data);
  const logsDir = join(dataDir, 'logs');
  const options: UpOptions = {
    dataDir,
    logsDir,
    gatewayLogFile: join(logsDir, 'gateway.log'),
    kubeconfigFile: join(dataDir, KUBECONFIG_FILE),
    members: Array.from({ length: count }, (_, i) => memberPlan(i, dataDir, logsDir, firstOctet)),
    runtime: flags.runtime,
    listen: flags.listen,
    joinListen: flags.joinListen,
    memberListen: flags.memberListen,
    dnsListen: flags.dnsListen,
    demo: flags.demo === true,
  };
  if (flags.logLevel !== undefined) options.logLevel = flags.logLevel;
  return options;
}
