/**
 * The command table of `fedgate`: every subcommand, its flags and its help. A command's
 * module is loaded only when that command runs, so `fedgate get` does not pay for loading
 * the gateway, the member control plane and the DNS server.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_ZONE } from '../dns/index.js';
import { CASCADE_POLICIES } from './cascade.js';
import { DEFAULT_DNS_LISTEN, DEFAULT_JOIN_ADDRESS, DEFAULT_JOIN_LISTEN, DEFAULT_LISTEN, DEFAULT_MEMBER_LISTEN } from './listen-address.js';
import { DEFAULT_UP_MEMBERS, FIRST_MEMBER_OCTET, parseMemberCount, parseMemberOctet, UP_MEMBER_OCTET_HELP, UP_MEMBERS_HELP } from './commands/up-options.js';
import { logLevels } from './logging.js';
import { CLIENT_VERSION } from './commands/version.js';
import { withTargetFlags } from './target-flags.js';

/** An action that imports its command's module when it runs. */
function lazy<A extends unknown[]>(load: () => Promise<(...args: A) => unknown>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const action = await load();
    await action(...args);
  };
}

const VERSION = CLIENT_VERSION;

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
    .description(
      'run a whole local federation in one command: the gateway in this process and member clusters as child processes, ' +
        'joined and Ready; prints the addresses and writes <data>/fedgate.kubeconfig. Ctrl-C stops everything (twice: at once). ' +
        'Running it again on the same --data keeps every object and member identity',
    )
    .option('--members <n>', UP_MEMBERS_HELP, parseMemberCount, DEFAULT_UP_MEMBERS)
    .option('--member-octet <b>', UP_MEMBER_OCTET_HELP, parseMemberOctet, FIRST_MEMBER_OCTET)
    .addOption(new Option('--runtime <name>', 'pod runtime of the members').choices(['process', 'simulated']).default('process'))
    .option('--data <dir>', 'data directory: the gateway store and CA, members/<name>/, logs/, fedgate.kubeconfig', './data')
    .option('--listen <host:port>', 'API address (port 0 picks a free port)', DEFAULT_LISTEN)
    .option('--join-listen <host:port>', 'join port of the gateway (port 0 picks a free port)', DEFAULT_JOIN_LISTEN)
    .option('--member-listen <host:port>', 'member port of the gateway (port 0 picks a free port)', DEFAULT_MEMBER_LISTEN)
    .option('--dns-listen <host:port>', 'DNS server address, UDP and TCP (port 0 picks a free port)', DEFAULT_DNS_LISTEN)
    .option('--demo', 'once Ready, apply examples/demo.yaml (a web server spread over all members, weighted DNS) and print the dig and curl commands that reach it')
    .addOption(new Option('--log-level <level>', 'log level of the gateway and members; when given, their logs go to stderr instead of <data>/logs/').choices(logLevels))
    .action(lazy(async () => (await import('./commands/up.js')).upCommand));

  program
    .command('gateway')
    .description('run the federation API server: HTTPS, authentication and RBAC; writes <data>/admin.token and <data>/fedgate.kubeconfig')
    .option('--store <url>', 'store URL: sqlite:PATH (embedded) or etcd://HOST:PORT[,HOST:PORT] (HA); default sqlite:<data>/fedgate.db', storeUrl)
    .option('--data <dir>', 'data directory: the embedded store, the gateway CA (pki/), keys, the admin token and kubeconfig', './data')
    .option('--listen <host:port>', 'API address (port 0 picks a free port)', DEFAULT_LISTEN)
    .option('--join-listen <host:port>', 'join port: members register here with a bootstrap token (TLS)', DEFAULT_JOIN_LISTEN)
    .option('--member-listen <host:port>', 'member port: joined members connect here (mutual TLS)', DEFAULT_MEMBER_LISTEN)
    .option('--advertise-member-address <host:port>', 'member port as members reach it, when it differs from --member-listen')
    .option('--dns-listen <host:port>', 'authoritative DNS server address, UDP and TCP', DEFAULT_DNS_LISTEN)
    .option('--dns-zone <zone>', 'DNS zone the gateway answers for', 'global.fedgate.internal')
    .option('--no-dns', 'run no DNS server')
    .option('--insecure-http', 'TESTS ONLY: plain HTTP with no authentication and no authorization (every request acts as system:masters)')
    .option('--audit-log <file>', 'append one JSON line per API request (who, what, outcome; never bodies) to this file')
    .option('--encryption-key-file <file>', 'keys that encrypt Secrets at rest (created with one key at first start); default <data>/encryption-keys.yaml')
    .option('--max-objects-per-namespace <n>', 'refuse creating objects in a namespace that holds this many (403 exceeded quota)')
    .option('--rate-limit <qps>', 'requests per second per user, burst twice that (system:masters exempt); default 100 with authentication, none with --insecure-http')
    .option('--tls-cert-file <file>', "the REST API's serving certificate (PEM, chain allowed) instead of one from the gateway CA; with --tls-private-key-file")
    .option('--tls-private-key-file <file>', 'the key of --tls-cert-file (PEM)')
    .option('--ca-cert-file <file>', 'the gateway CA certificate (PEM) instead of one created in <data>/pki at first start; with --ca-key-file')
    .option('--ca-key-file <file>', 'the key of --ca-cert-file (PEM, ECDSA P-256): signs member and serving certificates; never copied into <data>')
    .addOption(logLevelOption())
    .action(lazy(async () => (await import('./commands/gateway.js')).gatewayCommand));

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
    .option('--encryption-key-file <file>', 'keys that encrypt Secrets at rest in the local store (created with one key at first start); default <data>/encryption-keys.yaml')
    .option('--insecure-http', 'TESTS ONLY: serve the local API over plain HTTP with no authentication and no authorization (every request acts as system:masters)')
    .addOption(logLevelOption())
    .action(lazy(async () => (await import('./commands/member.js')).memberCommand));

  const token = program.command('token').description('manage bootstrap tokens that let member clusters join');
  withTargetFlags(
    token
      .command('create')
      .description(
        'create a single-use bootstrap token and print the fedgate join command that uses it; with --user, issue an API token for that user instead (for kubectl and scripts)',
      ),
  )
    .option('--ttl <duration>', 'how long the token stays valid (30m, 1h, 2d; default 1h, or no expiry with --user)')
    .option('--user <name>', 'issue a user token for this user name (RBAC bindings name it) instead of a bootstrap token')
    .option('--groups <a,b>', 'groups of the user token (with --user)')
    .option('--description <text>', 'what the token is for')
    .option('--join-address <host:port>', "the gateway's join port, as members reach it (printed in the join command)", DEFAULT_JOIN_ADDRESS)
    .option('--data <dir>', "the gateway's data directory: its pki/ca.crt gives the --ca-hash to print; its fedgate.kubeconfig is used when no gateway is named; with --user, its store and keys", './data')
    .option('--store <url>', "with --user: the gateway's store (default sqlite:<data>/fedgate.db)", storeUrl)
    .option('--encryption-key-file <file>', "with --user: the gateway's key file of Secrets at rest (default <data>/encryption-keys.yaml)")
    .option('--name <cluster>', 'cluster name to put in the printed join command')
    .action(lazy(async () => (await import('./commands/token.js')).tokenCreateCommand));

  const encryptionKey = program
    .command('encryption-key')
    .description('rotate the keys that encrypt Secrets at rest: rotate, restart, reencrypt, prune (docs/SECURITY.md)');
  const keyFlags = (c: Command): Command =>
    c
      .option('--data <dir>', 'the data directory of the gateway (or member) whose keys and store to use', './data')
      .option('--store <url>', 'the store (default sqlite:<data>/fedgate.db, or <data>/member.db in a member\'s data directory)', storeUrl)
      .option('--encryption-key-file <file>', 'the key file (default <data>/encryption-keys.yaml)');
  keyFlags(encryptionKey.command('list').description('the keys in order (the first encrypts) and how many stored values each seals'))
    .option('--no-usage', 'do not scan the store')
    .action(lazy(async () => (await import('./commands/encryption-key.js')).listCommand));
  keyFlags(encryptionKey.command('rotate').description('add a new key first in the key file; the old keys still decrypt'))
    .option('--id <id>', 'id of the new key (default key-<date>-<random>)')
    .option('--second', 'add it second, to decrypt only (the first step with several gateways on one store)')
    .action(lazy(async () => (await import('./commands/encryption-key.js')).rotateCommand));
  keyFlags(encryptionKey.command('promote').description('make an existing key the one that encrypts (moves it first)'))
    .argument('<id>', 'the key id')
    .action(lazy(async () => (await import('./commands/encryption-key.js')).promoteCommand));
  keyFlags(encryptionKey.command('reencrypt').description('write every encrypted value again with the first key (after every process using the store restarted with it)'))
    .action(lazy(async () => (await import('./commands/encryption-key.js')).reencryptCommand));
  keyFlags(encryptionKey.command('prune').description('remove every key but the first, once the store holds no value that needs them'))
    .action(lazy(async () => (await import('./commands/encryption-key.js')).pruneCommand));

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
    .action(lazy(async () => (await import('./commands/join.js')).joinCommand));

  withTargetFlags(program.command('unjoin').description('remove a member cluster from the federation (its workloads keep running unless --purge)'))
    .argument('<name>', 'cluster name')
    .option('--purge', 'delete the federated workloads in the member first')
    .action(lazy(async () => (await import('./commands/unjoin.js')).unjoinCommand));

  withTargetFlags(program.command('explain').description('show where a template is placed and why: clusters, replicas, overrides, and the reason for each cluster left out'))
    .argument('<kind/name>', 'for example deployment/web')
    .option('-n, --namespace <ns>', 'namespace (default: the kubeconfig context\'s, else default)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(lazy(async () => (await import('./commands/explain.js')).explainCommand));

  const dns = program
    .command('dns')
    .description('run the authoritative DNS server on its own, reading clusters, services and traffic policies from a store')
    .option('--store <url>', 'store URL: sqlite:PATH or etcd://HOST:PORT', storeUrl, 'sqlite:./data/fedgate.db')
    .option('--listen <host:port>', 'UDP and TCP address', DEFAULT_DNS_LISTEN)
    .option('--zone <zone>', 'zone to answer for', DEFAULT_ZONE)
    .option('--workers <n>', 'processes answering UDP (1 answers in this process)', '1')
    .addOption(new Option('--udp-io <mode>', 'batch: recvmmsg/sendmmsg (Linux); dgram: one datagram at a time').choices(['batch', 'dgram']).default('batch'))
    .addOption(logLevelOption())
    .action(lazy(async () => (await import('./commands/dns.js')).dnsCommand));
  withTargetFlags(dns.command('explain').description("why a federated Service's DNS name answers as it does: each cluster's address, weight, share and health"))
    .argument('<service.namespace>', 'for example web.shop')
    .option('--zone <zone>', 'the DNS zone', DEFAULT_ZONE)
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(lazy(async () => (await import('./commands/dns.js')).dnsExplainCommand));

  addClientCommands(program);
  return program;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function booleanFlag(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError('expected true or false');
}

function dryRunOption(): Option {
  return new Option('--dry-run <mode>', 'server: have the gateway check everything and store nothing').choices(['none', 'server']).default('none');
}

function namespaceOption(): Option {
  return new Option('-n, --namespace <ns>', "namespace (default: the kubeconfig context's, else default)");
}

/** The kubectl-like commands: they read and write objects through a gateway's REST API. */
function addClientCommands(program: Command): void {
  withTargetFlags(program.command('apply').description('create or update objects from manifests (YAML or JSON; files, directories, - for stdin)'))
    .requiredOption('-f, --filename <path>', 'manifest file, directory of .yaml/.yml/.json files, or - for stdin (repeatable)', collect)
    .option('-R, --recursive', 'also read the subdirectories of -f directories')
    .addOption(namespaceOption())
    .addOption(dryRunOption())
    .addHelpText('after', '\nExamples:\n  fedgate apply -f app.yaml\n  fedgate apply -f manifests/ -n shop\n  cat app.yaml | fedgate apply -f -\n  fedgate apply -f app.yaml --dry-run=server')
    .action(lazy(async () => (await import('./commands/apply.js')).applyCommand));

  withTargetFlags(program.command('get').description('list objects, or show the named ones (KIND accepts plural, singular, short names and kind.group)'))
    .argument('<kind>', 'resource type, e.g. deployments, deploy, deployment.apps, pp; several with commas; or KIND/NAME')
    .argument('[names...]', 'object names (default: every object)')
    .addOption(namespaceOption())
    .option('-A, --all-namespaces', 'list across all namespaces')
    .option('-l, --selector <selector>', 'label selector, e.g. app=web,tier!=db')
    .option('--field-selector <selector>', 'field selector, e.g. metadata.name=web')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['wide', 'yaml', 'json', 'name']))
    .option('-w, --watch', 'after listing, print a row per change until Ctrl-C')
    .option('--watch-only', 'print only the changes, not the current objects')
    .option('--ignore-not-found', 'say nothing about named objects that do not exist')
    .addHelpText('after', '\nExamples:\n  fedgate get deployments -n shop\n  fedgate get deploy web -o yaml\n  fedgate get svc,deploy -A -l app=web\n  fedgate get deployments -w')
    .action(async (kind: string, names: string[], flags) => (await import('./commands/get.js')).getCommand([kind, ...names], flags));

  withTargetFlags(program.command('describe').description('describe objects: metadata, spec summary, status, placement and per-cluster state'))
    .argument('<kind>', 'resource type (as for get), or KIND/NAME')
    .argument('[names...]', 'object names (default: every object)')
    .addOption(namespaceOption())
    .option('-A, --all-namespaces', 'describe across all namespaces')
    .option('-l, --selector <selector>', 'label selector (without names)')
    .addHelpText('after', '\nExamples:\n  fedgate describe deployment web -n shop\n  fedgate describe cluster eu-west')
    .action(async (kind: string, names: string[], flags) => (await import('./commands/describe.js')).describeCommand([kind, ...names], flags));

  withTargetFlags(program.command('delete').description('delete objects by name, selector, --all, or from manifests; waits until they are gone'))
    .argument('[kind]', 'resource type (as for get), or KIND/NAME')
    .argument('[names...]', 'object names')
    .option('-f, --filename <path>', 'delete the objects of these manifests (repeatable)', collect)
    .option('-R, --recursive', 'also read the subdirectories of -f directories')
    .addOption(namespaceOption())
    .option('-A, --all-namespaces', 'with -l or --all: across all namespaces')
    .option('-l, --selector <selector>', 'delete the objects this label selector matches')
    .option('--all', 'delete every object of the kind in the namespace')
    .addOption(new Option('--cascade <mode>', 'what happens to dependents').choices(Object.keys(CASCADE_POLICIES)).default('background'))
    .addOption(new Option('--wait [bool]', 'wait until the objects are gone (--wait=false returns right after the DELETE)').default(true).preset(true).argParser(booleanFlag))
    .option('--timeout <duration>', 'how long --wait waits', '60s')
    .option('--ignore-not-found', 'treat objects that do not exist as deleted')
    .addOption(dryRunOption())
    .addHelpText('after', '\nExamples:\n  fedgate delete deployment web -n shop\n  fedgate delete -f app.yaml\n  fedgate delete deploy -l app=web\n  fedgate delete ns shop --wait=false')
    .action(async (kind: string | undefined, names: string[], flags) => (await import('./commands/delete.js')).deleteCommand(kind === undefined ? [] : [kind, ...names], flags));

  withTargetFlags(program.command('clusters').description('list the member clusters: readiness, region, zone, weight, nodes, capacity'))
    .option('-l, --selector <selector>', 'label selector on the Cluster objects')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['wide', 'yaml', 'json', 'name']))
    .action(lazy(async () => (await import('./commands/clusters.js')).clustersCommand));

  withTargetFlags(program.command('logs').description("print a pod's container log, read from its member cluster's API"))
    .argument('<pod>', 'pod name')
    .requiredOption('--cluster <name>', 'member cluster the pod runs in')
    .option('-c, --container <name>', 'container (default: the only one, or the default-container annotation, or the first)')
    .addOption(namespaceOption())
    .option('--tail <n>', 'only the last N lines (-1: all)')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .option('--timestamps', 'prefix each line with its timestamp')
    .option('-p, --previous', "the previous instance's log (after a restart)")
    .addHelpText('after', '\nExample:\n  fedgate logs web-7d9f8-abcde --cluster eu-west -n shop --tail 20 -f')
    .action(lazy(async () => (await import('./commands/logs.js')).logsCommand));

  withTargetFlags(program.command('kubeconfig').description('print or write a kubeconfig for a gateway (for kubectl and --kubeconfig)'))
    .option('--data <dir>', 'print the kubeconfig fedgate up wrote in this data directory')
    .option('-o, --output <file>', 'write it to FILE (mode 0600) instead of printing it')
    .option('--name <name>', 'name of the context, cluster and user', 'fedgate')
    .option('--namespace <ns>', 'default namespace of the context')
    .option('--token <token>', 'bearer token to put in the kubeconfig')
    .option('--certificate-authority <file>', 'CA certificate (PEM) of an https gateway to put in the kubeconfig')
    .addHelpText('after', '\nExamples:\n  fedgate kubeconfig --gateway http://127.0.0.1:6443 -o fedgate.kubeconfig\n  kubectl --kubeconfig fedgate.kubeconfig get deployments\n  fedgate kubeconfig --data ./data')
    .action(lazy(async () => (await import('./commands/kubeconfig.js')).kubeconfigCommand));

  withTargetFlags(program.command('version').description("print the client's version and the gateway's"))
    .option('--client', "only the client's version (no request)")
    .addOption(new Option('-o, --output <format>', 'output format').choices(['json', 'yaml']))
    .action(lazy(async () => (await import('./commands/version.js')).versionCommand));
}
