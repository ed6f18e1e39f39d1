/** The seam between the API server and a container runtime's logs (`pods/{name}/log`). */
import type { Readable } from 'node:stream';
import type { KubeObject } from '../apimachinery/index.js';

/** How to read one container's log. */
export interface PodLogOptions {
  /** The run before the current one. */
  previous: boolean;
  /** Only the last this many lines. */
  tailLines?: number;
  /** Keep the stream open and send what the current run writes next. */
  follow: boolean;
  /** Ends a followed stream. */
  signal: AbortSignal;
}

/**
 * Where container logs come from. `open` answers a NotFound StatusError when the container
 * has no log (never started, no previous run); the stream ends at the end of the log, or
 * (follow) when `signal` aborts or the container's run ends.
 */
export interface PodLogSource {
  open(pod: KubeObject, container: string, opts: PodLogOptions): Promise<Readable>;
}
