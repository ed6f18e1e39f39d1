/**
 * Reading container logs back (`fedgate logs`): each run of a container writes its own
 * file `<restartCount>.log`, so the current run and the previous one are both at hand.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { StatusError, StatusReason } from '../../apimachinery/index.js';
import { podDir, type PodDirRef } from './pod-paths.js';

/** Options of `readContainerLog`. */
export interface ReadContainerLogOptions {
  /** The run before the current one (`kubectl logs --previous`). */
  previous?: boolean;
  /** Only the last this many lines. */
  tailLines?: number;
}

/** Restart counts that have a log file, ascending. */
export async function containerLogRuns(dataDir: string, pod: PodDirRef, container: string): Promise<number[]> {
  let names: string[];
  try {
    names = await fs.readdir(path.join(podDir(dataDir, pod), container));
  } catch {
    return [];
  }
  return names
    .map((n) => /^(\d+)\.log$/.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The log of a container's current (or previous) run; NotFound when there is none. */
export async function readContainerLog(
  dataDir: string,
  pod: PodDirRef,
  container: string,
  opts: ReadContainerLogOptions = {},
): Promise<string> {
  const runs = await containerLogRuns(dataDir, pod, container);
  const run = opts.previous ? runs.at(-2) : runs.at(-1);
  const missing = (): StatusError =>
    new StatusError(
      StatusReason.NotFound,
      `${opts.previous ? 'previous terminated container' : 'container'} "${container}" in pod "${pod.name}" has no logs`,
    );
  if (run === undefined) throw missing();
  let text: string;
  try {
    text = await fs.readFile(path.join(podDir(dataDir, pod), container, `${run}.log`), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw missing();
    throw err;
  }
  if (opts.tailLines === undefined) return text;
  const lines = text.split('\n');
  const trailing = lines.at(-1) === '' ? lines.pop() : undefined;
  return lines.slice(Math.max(0, lines.length - opts.tailLines)).join('\n') + (trailing === '' ? '\n' : '');
}
