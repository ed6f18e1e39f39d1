/** The command table of `fedgate`: every subcommand, its flags and its help. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_DNS_LISTEN, DEFAULT_JOIN_LISTEN, DEFAULT_LISTEN, DEFAULT_MEMBER_LISTEN, gatewayCommand } from './commands/gateway.js';
import { DEFAULT_ZONE } from '../dns/index.js';
import { dnsCommand, dnsExplainCommand } from './commands/dns.js';
import { explainCommand } from './commands/explain.js';
import { joinCommand } from './commands/join.js';
import { memberCommand } from './commands/member.js';
import { DEFAULT_JOIN_ADDRESS, tokenCreateCommand } from './commands/token.js';
import { unjoinCommand } from './commands/unjoin.js';
import { upCommand } from './commands/up.js';
import { logLevels } from './logging.js';

const VERSION = '0.1.0';

function logLevelOption(): Option {
  return new Option('--log-level <level>', 'log level').choices(logLevels).default('info');
}

function storeUrl(value: string): string {
  if (!/^(sqlite:|etcd:\/\/)/.test(value)) {
    throw new InvalidArgumentError('expected sqlite:PATH or etcd://HOST:PORT');
  }
  return value;
}

/** Builds the `fedgate` program. */
export function buildProgram(): Command {
  const program = new Command('fedgate')
    .description('Multi-cluster federation gateway: one Kubernetes-style API, many clusters, weighted global DNS')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('up')
    .description('run a local federation (the gateway on the embedded SQLite store in --data)')
    .option('--data <dir>', 'data directory', './data')
    .option('--listen <host:port>', 'API address', DEFAULT_LISTEN)
    .addOption(logLevelOption().default('warn'))
    .action(upCommand);

  program
    .command('gateway')
    .description('run the federation API server')
    .option('--store <url>', 'store URL: sqlite:PATH (embedded) or etcd://HOST:PORT[,HOST:PORT] (HA); default sqlite:<data>/fedgate.db', storeUrl)
    .option('--data <dir>', 'data directory: the embedded store and the gateway CA (pki/)', './data')
    .option('--listen <host:port>', 'API address (port 0 picks a free port)', DEFAULT_LISTEN)
    .option('--join-listen <host:port>', 'join port: members register here with a bootstrap token (TLS)', DEFAULT_JOIN_LISTEN)
    .option('--member-listen <host:port>', 'member port: joined members connect here (mutual TLS)', DEFAULT_MEMBER_LISTEN)
    .option('--advertise-member-address <host:port>', 'member port as members reach it, when it differs from --member-listen')
    .option('--dns-listen <host:port>', 'authoritative DNS server address, UDP and TCP', DEFAULT_DNS_LISTEN)
    .option('--dns-zone <zone>', 'DNS zone the gateway answers for', 'global.fedgate.internal')
    .option('--no-dns', 'run no DNS server')
    .addOption(logLevelOption())
    .action(gatewayCommand);

  program
    .command('member')
    .description('run a member cluster: a compact control plane that runs workloads, and its local API')
    .requiredOption('--name <name>', 'cluster name (a DNS label)')
    .option('--data <dir>', 'data directory (default ./data/members/<name>)')
    .requiredOption('--pod-cidr <cidr>', 'pod addresses, e.g. 127.1.0.0/16 (the top /20 holds service IPs)')
    .option('--external-ip <ip>', "address of LoadBalancer Services (default: the pod CIDR's first host)")
    .option('--service-cidr <cidr>', 'cluster IPs of Services (default: the top /20 of the pod CIDR)')
    .option('--nodes <n>', 'number of nodes', '3')
    .option('--node-capacity <list>', 'capacity of each node', 'cpu=4,memory=8Gi,pods=110')
    .addOption(new Option('--runtime <name>', 'pod runtime').choices(['process', 'simulated']).default('process'))
    .option('--listen <host:port>', 'local API address (default <external-ip>:10443)')
    .option('--controllers <list>', 'controllers to run: * for all, -name to switch one off', '*')
    .option('--region <region>', 'region of the cluster (used when joining)')
    .option('--zone <zone>', 'zone of the cluster (used when joining)')
    .option('--labels <k=v,...>', 'labels of the Cluster object (used when joining)')
    .option('--join <host:port>', "the gateway's join port: join at first start (needs --token and --ca-hash or --ca-file), then stay connected")
    .option('--token <token>', 'bootstrap token from fedgate token create')
    .option('--ca-hash <sha256:hex>', "SHA-256 of the gateway CA's public key (printed by fedgate token create)")
    .option('--ca-file <file>', 'the gateway CA certificate (instead of --ca-hash)')
    .option('--gateway-address <host:port>', "the gateway's member port (default: what the gateway said when this member joined)")
    .addOption(logLevelOption())
    .action(memberCommand);

  const token = program.command('token').description('manage bootstrap tokens that let member clusters join');
  token
    .command('create')
    .description('create a single-use bootstrap token and print the fedgate join command that uses it')
    .option('--gateway <url>', 'REST API base of the gateway', 'http://127.0.0.1:6443')
    .option('--ttl <duration>', 'how long the token stays valid (30m, 1h, 2d)', '1h')
    .option('--description <text>', 'what the token is for')
    .option('--join-address <host:port>', "the gateway's join port, as members reach it (printed in the join command)", DEFAULT_JOIN_ADDRESS)
    .option('--data <dir>', "the gateway's data directory: its pki/ca.crt gives the --ca-hash to print", './data')
    .option('--name <cluster>', 'cluster name to put in the printed join command')
    .action(tokenCreateCommand);

  program
    .command('join')
    .description("join this member cluster to a gateway with a bootstrap token; stores its key, certificate and the gateway CA in <data>/pki")
    .requiredOption('--gateway <host:port>', "the gateway's join port")
    .requiredOption('--token <token>', 'bootstrap token from fedgate token create ([a-z0-9]{6}.[a-z0-9]{16})')
    .option('--ca-hash <sha256:hex>', "SHA-256 of the gateway CA's public key (printed by fedgate token create)")
    .option('--ca-file <file>', "the gateway CA certificate (instead of --ca-hash)")
    .requiredOption('--name <name>', 'cluster name (a DNS label, at most 48 characters)')
    .option('--region <region>', 'region of the cluster')
    .option('--zone <zone>', 'zone of the cluster')
    .option('--labels <k=v,...>', 'labels of the Cluster object')
    .option('--external-ip <ip>', 'address of the cluster\'s LoadBalancer Services (repeatable)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--api-endpoint <url>', "the member's local API")
    .option('--data <dir>', 'member data directory (default ./data/members/<name>)')
    .option('--timeout <duration>', 'give up when the gateway does not answer within this time', '10s')
    .action(joinCommand);

  program
    .command('unjoin')
    .description('remove a member cluster from the federation (its workloads keep running unless --purge)')
    .argument('<name>', 'cluster name')
    .option('--gateway <url>', 'REST API base of the gateway', 'http://127.0.0.1:6443')
    .option('--purge', 'delete the federated workloads in the member first')
    .action(unjoinCommand);

  program
    .command('explain')
    .description('show where a template is placed and why: clusters, replicas, overrides, and the reason for each cluster left out')
    .argument('<kind/name>', 'for example deployment/web')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('--gateway <url>', 'REST API base of the gateway', 'http://127.0.0.1:6443')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(explainCommand);

  const dns = program
    .command('dns')
    .description('run the authoritative DNS server on its own, reading clusters, services and traffic policies from a store')
    .option('--store <url>', 'store URL: sqlite:PATH or etcd://HOST:PORT', storeUrl, 'sqlite:./data/fedgate.db')
    .option('--listen <host:port>', 'UDP and TCP address', DEFAULT_DNS_LISTEN)
    .option('--zone <zone>', 'zone to answer for', DEFAULT_ZONE)
    .addOption(logLevelOption())
    .action(dnsCommand);
  dns
    .command('explain')
    .description("why a federated Service's DNS name answers as it does: each cluster's address, weight, share and health")
    .argument('<service.namespace>', 'for example web.shop')
    .option('--gateway <url>', 'REST API base of the gateway', 'http://127.0.0.1:6443')
    .option('--zone <zone>', 'the DNS zone', DEFAULT_ZONE)
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(dnsExplainCommand);

  return program;
}
