/**
 * The `process` runtime: each container is a real OS process in its own process group
 * (and, as root, its own mount namespace), started through the exec chain described in
 * process-launch.ts. There are no images: `command` + `args` run on the host; `image` is
 * only identity. stdout and stderr go to `<podDir>/<container>/<restartCount>.log`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { ContainerStartError } from './container-start-error.js';
import { containerLogPath, podRunDir } from './pod-paths.js';
import { findExecutable, launcherScript } from './process-launch.js';
import { forgetContainerProcess, killRecordedLeftovers, readProcStat, recordContainerProcess } from './process-leftovers.js';
import type { ContainerExit, ContainerHandle, ContainerRunSpec, ExecResult, PodRef, PodRuntime } from './runtime-types.js';

/** Most bytes of an exec probe's output kept. */
const EXEC_OUTPUT_LIMIT = 10 * 1024;
/** PATH given to containers when the member has none. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Options of the process runtime. */
export interface ProcessRuntimeOptions {
  /**
   * Use a private mount namespace per container so volumes appear at their mountPath.
   * Default: when running as root and `unshare` exists. `false` forces the fallback
   * (volumes only as `VOLUME_<NAME>` env vars).
   */
  mountNamespaces?: boolean;
  /** PATH of the containers (default: the member's PATH). */
  path?: string;
}

/** Process-side bookkeeping of a running container, for stop and exec. */
interface ProcessContainer {
  handle: ContainerHandle;
  env: Record<string, string>;
  cwd: string;
  inMountNamespace: boolean;
}

/** `VOLUME_<NAME>`: upper-cased, `-` and `.` as `_`. */
export function volumeEnvName(volume: string): string {
  return `VOLUME_${volume.toUpperCase().replace(/[-.]/g, '_')}`;
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? osConstants.signals[signal] : undefined;
  return 128 + (n ?? 0);
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is empty already
  }
}

/** Runs containers as processes. */
export class ProcessRuntime implements PodRuntime {
  readonly name = 'process' as const;
  readonly runsProcesses = true;
  readonly mountsAtPath: boolean;
  private readonly setpriv: string | undefined;
  private readonly unshare: string | undefined;
  private readonly nsenter: string | undefined;
  private readonly containerPath: string;
  private readonly running = new Map<ContainerHandle, ProcessContainer>();

  constructor(options: ProcessRuntimeOptions = {}) {
    this.setpriv = findExecutable('setpriv');
    this.unshare = findExecutable('unshare');
    this.nsenter = findExecutable('nsenter');
    const canUnshare = process.getuid?.() === 0 && this.unshare !== undefined;
    this.mountsAtPath = options.mountNamespaces === undefined ? canUnshare : options.mountNamespaces && canUnshare;
    this.containerPath = options.path ?? process.env['PATH'] ?? DEFAULT_PATH;
  }

  async startContainer(spec: ContainerRunSpec): Promise<ContainerHandle> {
    const [command, ...args] = spec.argv;
    if (command === undefined || command === '') {
      throw new ContainerStartError('RunContainerError', 'the process runtime runs spec.containers[].command; none given');
    }
    const env: Record<string, string> = { PATH: this.containerPath, ...spec.env };
    if (!this.mountsAtPath) for (const m of spec.mounts) env[volumeEnvName(m.volume)] = m.hostPath;
    if (!command.includes('/') && findExecutable(command, env['PATH']) === undefined) {
      throw new ContainerStartError('StartError', `exec: "${command}": executable file not found in $PATH`);
    }
    const logPath = containerLogPath(spec.podDir, spec.name, spec.restartCount);
    fs.mkdirSync(path.dirname(logPath), { recursive: true });

    let argv: string[];
    let cwd = '/';
    if (this.mountsAtPath) {
      const script = path.join(podRunDir(spec.podDir), `${spec.name}.sh`);
      fs.mkdirSync(path.dirname(script), { recursive: true });
      fs.writeFileSync(script, launcherScript(spec.mounts, spec.argv, spec.workingDir), { mode: 0o700 });
      argv = [this.unshare!, '--mount', '--propagation', 'private', '--', '/bin/sh', script];
    } else {
      if (spec.workingDir) {
        fs.mkdirSync(spec.workingDir, { recursive: true });
        cwd = spec.workingDir;
      }
      argv = [command, ...args];
    }
    if (this.setpriv) argv = [this.setpriv, '--pdeathsig', 'KILL', '--', ...argv];

    const fd = fs.openSync(logPath, 'a');
    let child;
    try {
      child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', fd, fd], env, cwd });
    } finally {
      fs.closeSync(fd);
    }
    const exited = new Promise<ContainerExit>((resolve) => {
      child.once('exit', (code, signal) => {
        // Whatever the command forked dies with it, as a container's processes do.
        if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
        const exitCode = exitCodeOf(code, signal);
        resolve({ exitCode, signal: signal ?? undefined, reason: exitCode === 0 ? 'Completed' : 'Error', finishedAt: Date.now() });
      });
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => reject(new ContainerStartError('StartError', err.message)));
    });
    const pid = child.pid!;
    const stat = readProcStat(pid);
    const owner = { nodeName: spec.pod.nodeName, podUid: spec.pod.uid };
    if (stat) recordContainerProcess(spec.podDir, owner, spec.name, { pid, startTime: stat.startTime });

    const handle: ContainerHandle = {
      id: `process://${pid}`,
      pid,
      startedAt: Date.now(),
      exited,
      async stop(gracePeriodMs: number): Promise<ContainerExit> {
        killGroup(pid, 'SIGTERM');
        const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), Math.max(0, gracePeriodMs));
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      },
    };
    this.running.set(handle, { handle, env, cwd, inMountNamespace: this.mountsAtPath });
    void exited.then(() => {
      this.running.delete(handle);
      forgetContainerProcess(spec.podDir, spec.name, pid);
    });
    return handle;
  }

  exec(handle: ContainerHandle, command: string[], timeoutMs: number): Promise<ExecResult> {
    const c = this.running.get(handle);
    if (!c || command.length === 0) return Promise.resolve({ exitCode: 126, output: 'container is not running', timedOut: false });
    let argv = command;
    if (c.inMountNamespace && this.nsenter && handle.pid !== undefined) {
      argv = [this.nsenter, '--target', String(handle.pid), '--mount', '--', ...command];
    }
    return new Promise((resolve) => {
      const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: c.env, cwd: c.cwd });
      let output = '';
      let timedOut = false;
      const collect = (b: Buffer): void => {
        if (output.length < EXEC_OUTPUT_LIMIT) output += b.toString('utf8').slice(0, EXEC_OUTPUT_LIMIT - output.length);
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      const timer = setTimeout(() => {
        timedOut = true;
        if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
      }, timeoutMs);
      child.once('error', (err) => {
        clearTimeout(timer);
        resolve({ exitCode: 127, output: err.message, timedOut: false });
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ exitCode: exitCodeOf(code, signal), output, timedOut });
      });
    });
  }

  killLeftovers(_pod: PodRef, podDir: string): Promise<number> {
    return killRecordedLeftovers(podDir);
  }
}
