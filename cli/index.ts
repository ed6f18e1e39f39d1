/**
 * cli: the `fedgate` command. The only folder that wires the parts together.
 *
 * ```ts
 * import { buildProgram } from './cli/index.js';
 * await buildProgram().parseAsync(['node', 'fedgate', 'gateway', '--store', 'sqlite:./data/fed.db']);
 * ```
 */
export { buildProgram } from './program.js';
export { parseHostPort, type HostPort } from './listen-address.js';
