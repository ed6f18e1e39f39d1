/**
 * Container logs for the member's local API (`kubectl logs`): the API server's pod log
 * source, reading the log files the process runtime writes (`<dataDir>/pods/<pod>/<container>/<run>.log`).
 * A followed log sends the file's content, then what the current run appends, until the
 * caller aborts or a newer run of the container starts (a restart).
 */
import fs from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { StatusError, StatusReason, type KubeObject } from '../apimachinery/index.js';
import { containerLogPath, containerLogRuns, podDir, readContainerLog, type PodDirRef } from './runtime/index.js';

/** How often a followed log looks for appended bytes. */
export const DEFAULT_LOG_POLL_MS = 100;

/** Options of `PodLogReader.open` (the API server's PodLogOptions). */
export interface PodLogReadOptions {
  previous: boolean;
  tailLines?: number;
  follow: boolean;
  signal: AbortSignal;
}

function podRef(pod: KubeObject): PodDirRef {
  const { namespace, name, uid } = pod.metadata;
  if (!namespace || !name || !uid) throw new StatusError(StatusReason.NotFound, `pod "${name ?? ''}" has no logs yet`);
  return { namespace, name, uid };
}

/** The last `n` lines of `text` (a trailing newline kept). */
function tail(text: string, n: number | undefined): string {
  if (n === undefined) return text;
  const lines = text.split('\n');
  const trailing = lines.at(-1) === '' ? lines.pop() : undefined;
  return lines.slice(Math.max(0, lines.length - n)).join('\n') + (trailing === '' ? '\n' : '');
}

/** Reads container logs of this member's pods; see the module doc. */
export class PodLogReader {
  constructor(
    private readonly dataDir: string,
    private readonly pollMs = DEFAULT_LOG_POLL_MS,
  ) {}

  /** The log as a stream; NotFound when the container has no log (not started, no previous run). */
  async open(pod: KubeObject, container: string, opts: PodLogReadOptions): Promise<Readable> {
    const ref = podRef(pod);
    if (!opts.follow) {
      const text = await readContainerLog(this.dataDir, ref, container, { previous: opts.previous, ...(opts.tailLines !== undefined ? { tailLines: opts.tailLines } : {}) });
      return Readable.from([Buffer.from(text)]);
    }
    const runs = await containerLogRuns(this.dataDir, ref, container);
    const run = runs.at(-1);
    if (run === undefined) throw new StatusError(StatusReason.NotFound, `container "${container}" in pod "${ref.name}" has no logs`);
    const file = containerLogPath(podDir(this.dataDir, ref), container, run);
    let buf: Buffer;
    try {
      buf = await fs.readFile(file);
    } catch {
      throw new StatusError(StatusReason.NotFound, `container "${container}" in pod "${ref.name}" has no logs`);
    }
    const out = new PassThrough();
    out.write(opts.tailLines === undefined ? buf : Buffer.from(tail(buf.toString('utf8'), opts.tailLines)));
    this.follow(out, ref, container, run, file, buf.length, opts.signal);
    return out;
  }

  /** Appends what the run writes after `offset` until aborted or a newer run starts; then ends `out`. */
  private follow(out: PassThrough, ref: PodDirRef, container: string, run: number, file: string, offset: number, signal: AbortSignal): void {
    let position = offset;
    let busy = false;
    let done = false;
    const readMore = async (): Promise<void> => {
      let handle: fs.FileHandle | undefined;
      try {
        handle = await fs.open(file, 'r');
        const { size } = await handle.stat();
        while (position < size) {
          const chunk = Buffer.alloc(Math.min(size - position, 64 * 1024));
          const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
          if (bytesRead === 0) break;
          position += bytesRead;
          if (!out.write(chunk.subarray(0, bytesRead))) await new Promise((r) => out.once('drain', r));
        }
      } catch {
        // The pod's files went away with it: nothing more to send.
      } finally {
        await handle?.close();
      }
    };
    const finish = async (): Promise<void> => {
      if (done) return;
      done = true;
      clearInterval(timer);
      while (busy) await new Promise((r) => setTimeout(r, this.pollMs / 4));
      await readMore();
      out.end();
    };
    const timer = setInterval(() => {
      if (busy || done) return;
      busy = true;
      void (async () => {
        await readMore();
        const runs = await containerLogRuns(this.dataDir, ref, container);
        busy = false;
        if ((runs.at(-1) ?? run) > run) await finish();
      })();
    }, this.pollMs);
    if (signal.aborted) void finish();
    else signal.addEventListener('abort', () => void finish(), { once: true });
    out.once('close', () => {
      done = true;
      clearInterval(timer);
    });
  }
}
