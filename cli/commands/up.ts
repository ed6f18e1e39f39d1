/**
 * `fedgate up`: a local federation in one command. For now it runs the federation gateway
 * (API, replicator, join and member ports) on the embedded SQLite store in the data
 * directory and prints where it listens and how a member joins.
 */
import { createLogger } from '../logging.js';
import { stopOnSignals } from '../shutdown.js';
import { DEFAULT_JOIN_LISTEN, DEFAULT_MEMBER_LISTEN, startFederationGateway } from './gateway.js';

/** Flags of `fedgate up`. */
export interface UpFlags {
  data: string;
  listen: string;
  logLevel: string;
}

/** The action of `fedgate up`: human output on stdout, JSON logs on stderr. */
export async function upCommand(flags: UpFlags): Promise<void> {
  const logger = createLogger(flags.logLevel, 'up', 2);
  const running = await startFederationGateway(
    { data: flags.data, listen: flags.listen, joinListen: DEFAULT_JOIN_LISTEN, memberListen: DEFAULT_MEMBER_LISTEN, logLevel: flags.logLevel },
    logger,
  );
  const url = running.gateway.url;
  process.stdout.write(
    [
      'fedgate is up',
      `  API          ${url}`,
      `  join port    ${running.joinAddress}`,
      `  member port  ${running.memberAddress}`,
      `  DNS          ${running.dnsAddress ?? '-'}  zone ${running.dnsZone ?? '-'}`,
      `  store        sqlite:${flags.data}/fedgate.db`,
      '',
      `  join a member:  npx fedgate token create --gateway ${url} --data ${flags.data} --join-address ${running.joinAddress}`,
      '  stop:           Ctrl-C',
      '',
    ].join('\n'),
  );
  stopOnSignals(logger, running.stop);
}
