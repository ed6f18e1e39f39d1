/**
 * `fedgate up`: a local federation in one command. For now it runs the gateway on the
 * embedded SQLite store in the data directory and prints where it listens.
 */
import { join } from 'node:path';
import { parseHostPort } from '../listen-address.js';
import { createLogger } from '../logging.js';
import { stopOnSignals } from '../shutdown.js';
import { startApiServer } from './gateway.js';

/** Flags of `fedgate up`. */
export interface UpFlags {
  data: string;
  listen: string;
  logLevel: string;
}

/** The action of `fedgate up`: human output on stdout, JSON logs on stderr. */
export async function upCommand(flags: UpFlags): Promise<void> {
  const listen = parseHostPort(flags.listen, '--listen');
  const storeUrl = `sqlite:${join(flags.data, 'fedgate.db')}`;
  const logger = createLogger(flags.logLevel, 'up', 2);
  const running = await startApiServer({ storeUrl, listen, logger, role: 'gateway' });
  process.stdout.write(
    [
      'fedgate is up',
      `  API    ${running.gateway.url}`,
      `  store  ${storeUrl}`,
      '',
      `  try:   curl ${running.gateway.url}/api/v1/namespaces`,
      '  stop:  Ctrl-C',
      '',
    ].join('\n'),
  );
  stopOnSignals(logger, running.stop);
}
