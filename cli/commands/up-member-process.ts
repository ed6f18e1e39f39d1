/**
 * One member cluster of `fedgate up` as a child process (`fedgate member ...`).
 *
 * - It runs in its own process group, so a terminal's Ctrl-C reaches only `fedgate up`,
 *   which then stops the members in order instead of every process racing to stop at once.
 * - It is started through `setpriv --pdeathsig TERM` (when util-linux has it): if `fedgate
 *   up` dies without stopping it, the kernel sends it SIGTERM and it stops its pods itself.
 * - Its stdout and stderr go to its log file (or to our stderr), never through a pipe to
 *   us: a member never blocks on, or dies of, a reader that went away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { findExecutable } from '../../member-cluster/index.js';

/** The `fedgate` entry point members run (it registers the TypeScript loader itself). */
const FEDGATE_BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'fedgate.js');

/** How much of the end of a log file is searched for the reason a member exited. */
const LOG_TAIL_BYTES = 16 * 1024;

/** How a member process ended. */
export interface MemberExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options of a MemberProcess. */
export interface MemberProcessOptions {
  name: string;
  /** Arguments after `fedgate member`. */
  args: string[];
  /** File that receives stdout and stderr (appended); undefined: our own stderr. */
  logFile?: string;
}

/** A `fedgate member` child process. */
export class MemberProcess {
  readonly name: string;
  /** Resolves once, when the process has exited. */
  readonly exited: Promise<MemberExit>;
  private readonly child: ChildProcess;
  private exit: MemberExit | undefined;

  /** Spawns the member; throws when the process cannot be started. */
  constructor(private readonly options: MemberProcessOptions) {
    this.name = options.name;
    const setpriv = findExecutable('setpriv');
    const argv = [process.execPath, FEDGATE_BIN, 'member', ...options.args];
    const command = setpriv ? [setpriv, '--pdeathsig', 'TERM', '--', ...argv] : argv;
    const fd = options.logFile ? openSync(options.logFile, 'a') : 2;
    try {
      this.child = spawn(command[0]!, command.slice(1), { detached: true, stdio: ['ignore', fd, fd] });
    } finally {
      if (fd !== 2) closeSync(fd);
    }
    this.exited = new Promise((done) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        done(this.exit);
      });
      this.child.once('error', () => {
        if (this.exit) return;
        this.exit = { code: null, signal: null };
        done(this.exit);
      });
    });
  }

  /** The process id (undefined when it could not be spawned). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.exit === undefined;
  }

  /** SIGTERM (the member stops its pods, then itself), SIGKILL after `graceMs`; resolves when it has exited. */
  async stop(graceMs: number): Promise<MemberExit> {
    if (this.exit) return this.exit;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.kill(), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL now. Its pods die with it (they run under `--pdeathsig KILL`). */
  kill(): void {
    this.signal('SIGKILL');
  }

  /** Why the member exited, from the end of its log, when it said so. */
  lastError(): string | undefined {
    return this.options.logFile ? lastErrorInLog(this.options.logFile) : undefined;
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.exit || this.child.pid === undefined) return;
    try {
      process.kill(this.child.pid, signal);
    } catch {
      // exited meanwhile
    }
  }
}

/**
 * The last error a fedgate process wrote to its log: the `fedgate: <message>` line of a
 * failed command, or the message of the last JSON log entry at level error or above.
 */
export function lastErrorInText(text: string): string | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.startsWith('fedgate: ')) return line.slice('fedgate: '.length);
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      if ((entry.level ?? 0) >= 50) return [entry.msg, entry.err?.message].filter(Boolean).join(': ') || undefined;
    } catch {
      // not a log entry
    }
  }
  return undefined;
}

function lastErrorInLog(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, LOG_TAIL_BYTES);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    return lastErrorInText(buf.toString('utf8'));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
