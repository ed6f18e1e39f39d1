/**
 * The audit log: one JSON line per request, written when the response is settled (the code
 * is the final one, errors included), after kube-apiserver's audit events at level
 * `Metadata` — who, what, where, outcome — and never a request or response body, so never a
 * Secret's value. Lines are written asynchronously through one append stream (mode 0600);
 * `close()` flushes and closes it.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Context, Next } from 'koa';
import type { UserInfo } from '../apimachinery/index.js';
import { impersonatorOf } from './api-auth.js';
import { requestFacts } from './request-context.js';
import { parseResourcePath, verbOf, isWatchParam } from './request-path.js';

/** `audit` option of the gateway. */
export interface AuditOptions {
  /** File the lines are appended to (created mode 0600, with its directory). */
  path: string;
}

/** One audit line. */
export interface AuditEntry {
  timestamp: string;
  /** Who authenticated. */
  user: string | undefined;
  groups: string[] | undefined;
  /** The user the request acted as, when it impersonated one (`kubectl --as`), as in Kubernetes' audit events. */
  impersonatedUser?: { user: string; groups: string[] };
  verb: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Non-resource requests: the URL path (never the query). */
  path?: string;
  code: number;
  latencyMs: number;
  userAgent?: string;
  sourceIP: string;
}

/** An append-only JSON-lines file. */
export class AuditLog {
  private stream: WriteStream | undefined;
  private failure: Error | undefined;

  constructor(readonly path: string) {}

  /** Opens the file for appending. */
  async open(): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const stream = createWriteStream(this.path, { flags: 'a', mode: 0o600 });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    stream.on('error', (err) => (this.failure = err));
    this.stream = stream;
  }

  /** Queues one line; never blocks the request. */
  write(entry: AuditEntry): void {
    this.stream?.write(`${JSON.stringify(entry)}\n`);
  }

  /** The write error that stopped the log, if any. */
  get error(): Error | undefined {
    return this.failure;
  }

  /**
   * Opens the path again and closes the old file once its queued lines are written: after
   * logrotate moved the file away (no `copytruncate` needed), lines go to a new file at the
   * same path. A failure to open leaves the old stream in use and rejects.
   */
  async reopen(): Promise<void> {
    const old = this.stream;
    await this.open();
    this.failure = undefined;
    if (old) await new Promise<void>((resolve) => old.end(() => resolve()));
  }

  /** Flushes queued lines and closes the file. */
  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    if (!stream) return;
    await new Promise<void>((resolve) => stream.end(() => resolve()));
  }
}

/** The request as the audit log names it, from the routing facts or (refused before routing) from the path. */
function describe(ctx: Context): Pick<AuditEntry, 'verb' | 'apiGroup' | 'resource' | 'subresource' | 'namespace' | 'name' | 'path'> {
  const facts = requestFacts(ctx);
  const path = parseResourcePath(ctx.path);
  if (!path) return { verb: ctx.method.toLowerCase(), path: ctx.path };
  const [resource, subresource] = (facts.resource ?? (path.subresource ? `${path.plural}/${path.subresource}` : path.plural)).split('/');
  const out: ReturnType<typeof describe> = {
    verb: facts.verb ?? verbOf(ctx.method, path, isWatchParam(typeof ctx.query['watch'] === 'string' ? ctx.query['watch'] : undefined)) ?? ctx.method.toLowerCase(),
    apiGroup: path.group,
    resource: resource ?? path.plural,
  };
  if (subresource) out.subresource = subresource;
  const namespace = facts.namespace ?? path.namespace;
  if (namespace !== undefined) out.namespace = namespace;
  const name = facts.name ?? path.name;
  if (name !== undefined) out.name = name;
  return out;
}

/** The middleware writing one line per request, after the inner middleware settled the code. */
export function auditRequests(log: AuditLog, userOf: (ctx: Context) => UserInfo | undefined) {
  return async function audit(ctx: Context, next: Next): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const acting = userOf(ctx);
      const impersonator = impersonatorOf(ctx);
      const user = impersonator ?? acting;
      const userAgent = ctx.get('user-agent');
      log.write({
        timestamp: new Date().toISOString(),
        user: user?.username,
        groups: user?.groups,
        ...(impersonator && acting ? { impersonatedUser: { user: acting.username, groups: acting.groups } } : {}),
        ...describe(ctx),
        code: ctx.status,
        latencyMs: Math.round(Number(process.hrtime.bigint() - started) / 1e3) / 1e3,
        ...(userAgent ? { userAgent } : {}),
        sourceIP: ctx.req.socket.remoteAddress ?? '',
      });
    }
  };
}
