/**
 * The CLI's calls to a Kubernetes-style REST API (the gateway, or a member's local API):
 * JSON in and out, `Status` bodies as messages, a deadline, and streams for watches and
 * logs. Requests go through `node:http`/`node:https`, so an https target is verified against
 * the target's CA and may present a client certificate; a bearer token goes in the
 * `Authorization` header.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { GatewayTarget } from './kubeconfig.js';

/** Default deadline of one CLI request (for streams: until the response headers arrive). */
export const REQUEST_TIMEOUT_MS = 10_000;

/** How far into a non-JSON error body a message quotes. */
const MAX_QUOTED_BODY = 200;

/** A non-2xx answer of the server: its message, the HTTP status and the Status reason. */
export class GatewayRequestError extends Error {
  override readonly name = 'GatewayRequestError';
  constructor(
    message: string,
    readonly status: number,
    readonly reason = '',
  ) {
    super(message);
  }
}

/** The server could not be reached (refused, reset, timed out, bad TLS). */
export class GatewayUnreachableError extends Error {
  override readonly name = 'GatewayUnreachableError';
  constructor(
    readonly server: string,
    /** What went wrong, without the server (`connect ECONNREFUSED ...`). */
    readonly why: string,
    options?: ErrorOptions,
  ) {
    super(`cannot reach the gateway at ${server}: ${why}`, options);
  }
}

/** True when `err` is a 404 answer. */
export function isNotFoundAnswer(err: unknown): err is GatewayRequestError {
  return err instanceof GatewayRequestError && err.status === 404;
}

/** A target, or just its server URL (plain http, no credentials). */
export type TargetLike = GatewayTarget | string;

/** Options of one request. */
export interface RequestOptions {
  /** JSON body (serialized here). */
  body?: unknown;
  /** Content type of the body (default `application/json`). */
  contentType?: string;
  /** Accept header (default `application/json`). */
  accept?: string;
  /** Deadline in ms; for `openStream`, only until the headers arrive. */
  timeoutMs?: number;
  /** Aborts the request (and the stream). */
  signal?: AbortSignal;
}

function targetOf(target: TargetLike): GatewayTarget {
  return typeof target === 'string' ? { server: target } : target;
}

function urlOf(t: GatewayTarget, path: string): URL {
  let base: URL;
  try {
    base = new URL(t.server);
  } catch {
    throw new Error(`"${t.server}" is not a URL (expected http://HOST:PORT or https://HOST:PORT)`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new Error(`"${t.server}" is not an http:// or https:// URL`);
  }
  return new URL(`${base.origin}${base.pathname.replace(/\/$/, '')}${path}`);
}

/** What an error body says: a Status message, or a quote of the body, or the HTTP code. */
function errorOf(method: string, path: string, status: number, text: string): GatewayRequestError {
  let parsed: { kind?: unknown; message?: unknown; reason?: unknown } | undefined;
  try {
    parsed = text ? (JSON.parse(text) as typeof parsed) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed?.kind === 'Status' && typeof parsed.message === 'string' && parsed.message) {
    return new GatewayRequestError(parsed.message, status, typeof parsed.reason === 'string' ? parsed.reason : '');
  }
  const quote = text.trim().slice(0, MAX_QUOTED_BODY);
  return new GatewayRequestError(`${method} ${path}: HTTP ${status}${quote ? `: ${quote}` : ''}`, status);
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => done(Buffer.concat(chunks).toString('utf8')));
    res.once('error', fail);
    res.once('aborted', () => fail(new Error('the response was cut off')));
  });
}

/**
 * Sends a request and resolves with the response once its headers arrived, for any status.
 * Fails with GatewayUnreachableError when the server cannot be reached in time.
 */
function send(target: TargetLike, method: string, path: string, opts: RequestOptions): Promise<IncomingMessage> {
  const t = targetOf(target);
  const url = urlOf(t, path);
  const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
  const headers: Record<string, string> = { accept: opts.accept ?? 'application/json', 'user-agent': 'fedgate-cli' };
  if (payload) {
    headers['content-type'] = opts.contentType ?? 'application/json';
    headers['content-length'] = String(payload.length);
  }
  if (t.token) headers['authorization'] = `Bearer ${t.token}`;
  const tls = url.protocol === 'https:';
  const timeoutMs = opts.timeoutMs ?? REQUEST_TIMEOUT_MS;
  return new Promise((done, fail) => {
    const unreachable = (why: string, cause?: unknown): void =>
      fail(new GatewayUnreachableError(t.server, why, { cause }));
    const options: https.RequestOptions = {
      method,
      headers,
      ...(tls && t.caPem ? { ca: t.caPem } : {}),
      ...(tls && t.clientCertPem ? { cert: t.clientCertPem } : {}),
      ...(tls && t.clientKeyPem ? { key: t.clientKeyPem } : {}),
    };
    const req = (tls ? https : http).request(url, options);
    const timer = setTimeout(() => {
      req.destroy();
      unreachable(`no answer within ${timeoutMs} ms`);
    }, timeoutMs);
    const onAbort = (): void => {
      req.destroy();
      fail(new Error('aborted'));
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.once('response', (res) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      // A stream ends on abort too; the listener goes with the response, so re-watching adds none.
      const endStream = (): void => void res.destroy();
      opts.signal?.addEventListener('abort', endStream, { once: true });
      res.once('close', () => opts.signal?.removeEventListener('abort', endStream));
      done(res);
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      unreachable(err.message, err);
    });
    req.end(payload);
  });
}

/** Calls `method path`; resolves with the parsed JSON body of a 2xx answer, throws GatewayRequestError otherwise. */
export async function gatewayRequest<T = any>(target: TargetLike, method: string, path: string, body?: unknown, contentType?: string, accept?: string): Promise<T> {
  const res = await send(target, method, path, {
    ...(body !== undefined ? { body } : {}),
    ...(contentType ? { contentType } : {}),
    ...(accept ? { accept } : {}),
  });
  const text = await readAll(res);
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) throw errorOf(method, path, status, text);
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${method} ${path}: the server answered with something that is not JSON`);
  }
}

/** Opens a streaming GET (watch, logs); resolves with the 2xx response once its headers arrived. */
export async function openStream(target: TargetLike, path: string, opts: RequestOptions = {}): Promise<IncomingMessage> {
  const res = await send(target, 'GET', path, opts);
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) throw errorOf('GET', path, status, await readAll(res));
  return res;
}

/**
 * Reads a newline-delimited JSON stream (a watch) and calls `onEvent` per line; resolves
 * when the stream ends (the server closed it, or the signal aborted it).
 */
export async function readJsonLines(res: IncomingMessage, onEvent: (event: unknown) => void): Promise<void> {
  let buffer = '';
  res.setEncoding('utf8');
  try {
    for await (const chunk of res as AsyncIterable<string>) {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) onEvent(JSON.parse(line));
      }
    }
  } catch (err) {
    // A destroyed response (Ctrl-C, abort) ends the stream; only bad JSON is an error.
    if (err instanceof SyntaxError) throw new Error(`the watch stream sent a line that is not JSON: ${err.message}`);
    return;
  }
  if (buffer.trim()) onEvent(JSON.parse(buffer));
}
