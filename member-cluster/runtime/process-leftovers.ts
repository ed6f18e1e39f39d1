/**
 * Leftover processes after a member restart. `--pdeathsig` already kills each container
 * with the member process; this is the second line: every container's pid and kernel start
 * time is recorded in the pod's `.state.json`, and before a pod starts again the processes
 * still alive from that record are SIGKILLed — the recorded process itself (same pid AND
 * same start time, so a recycled pid is never hit) and every process of its process group
 * started no earlier (the container's own children, which pdeathsig does not reach).
 */
import fs from 'node:fs';
import { podStateFile } from './pod-paths.js';

/** One recorded container process. */
export interface RecordedProcess {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: start time in clock ticks since boot. */
  startTime: number;
}

/** The content of a pod's state file. */
export interface PodProcessState {
  nodeName: string;
  podUid: string;
  containers: Record<string, RecordedProcess>;
}

/** One row of /proc. */
export interface ProcStat {
  pid: number;
  pgrp: number;
  startTime: number;
  state: string;
}

/** Parses /proc/<pid>/stat; undefined when the process is gone. */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return parseProcStat(text);
}

/** Parses the text of /proc/<pid>/stat (the command name may hold spaces and parentheses). */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  const pid = Number.parseInt(text, 10);
  if (close < 0 || !Number.isFinite(pid)) return undefined;
  const f = text.slice(close + 2).split(' ');
  // After the command: state(3) ppid(4) pgrp(5) ... starttime(22); f[0] is field 3.
  const pgrp = Number(f[2]);
  const startTime = Number(f[19]);
  if (!Number.isFinite(pgrp) || !Number.isFinite(startTime)) return undefined;
  return { pid, pgrp, startTime, state: f[0] ?? '?' };
}

/** Every process in /proc. */
export function listProcesses(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readProcStat(Number(name));
    if (s) out.push(s);
  }
  return out;
}

/** Reads a pod's state file; undefined when absent or unreadable. */
export function readPodState(dir: string): PodProcessState | undefined {
  try {
    return JSON.parse(fs.readFileSync(podStateFile(dir), 'utf8')) as PodProcessState;
  } catch {
    return undefined;
  }
}

/** Records one container's process. Synchronous: writes of one process never interleave. */
export function recordContainerProcess(dir: string, owner: { nodeName: string; podUid: string }, container: string, proc: RecordedProcess): void {
  const state = readPodState(dir) ?? { ...owner, containers: {} };
  state.containers[container] = proc;
  writePodState(dir, state);
}

/** Forgets a container's process, unless a newer run of it was recorded meanwhile. */
export function forgetContainerProcess(dir: string, container: string, pid: number): void {
  const state = readPodState(dir);
  if (!state || state.containers[container]?.pid !== pid) return;
  delete state.containers[container];
  writePodState(dir, state);
}

function writePodState(dir: string, state: PodProcessState): void {
  fs.mkdirSync(dir, { recursive: true });
  const file = podStateFile(dir);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(state));
  fs.renameSync(`${file}.tmp`, file);
}

/** Processes that belong to the recorded containers and are still alive (zombies excluded). */
export function findLeftovers(recorded: readonly RecordedProcess[], procs: readonly ProcStat[] = listProcesses()): ProcStat[] {
  return procs.filter(
    (p) =>
      p.state !== 'Z' &&
      recorded.some((r) => (p.pid === r.pid && p.startTime === r.startTime) || (p.pgrp === r.pid && p.startTime >= r.startTime)),
  );
}

/** Polls until none of `pids` is alive (or a zombie), at most `timeoutMs`. */
async function waitGone(victims: readonly ProcStat[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = victims.filter((v) => {
      const s = readProcStat(v.pid);
      return s !== undefined && s.startTime === v.startTime && s.state !== 'Z';
    });
    if (alive.length === 0 || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** SIGKILLs the leftovers recorded in a pod's state file, clears the record; returns how many died. */
export async function killRecordedLeftovers(dir: string): Promise<number> {
  const state = readPodState(dir);
  if (!state) return 0;
  const victims = findLeftovers(Object.values(state.containers));
  for (const v of victims) {
    try {
      process.kill(v.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await waitGone(victims, 2000);
  fs.rmSync(podStateFile(dir), { force: true });
  return victims.length;
}
