/**
 * `/healthz`, `/livez` and `/readyz` in kube-apiserver's format: `ok`, or with `?verbose`
 * one `[+]name ok` / `[-]name failed` line per check; a failing check makes the answer 500.
 */
import type { Context } from 'koa';

/** One named check; it throws (or rejects) when unhealthy. */
export interface HealthCheck {
  name: string;
  check: () => void | Promise<void>;
}

/** Runs the checks and writes the response for endpoint `endpoint` (`livez`, `readyz`, `healthz`). */
export async function serveHealth(ctx: Context, endpoint: string, checks: readonly HealthCheck[]): Promise<void> {
  const lines: string[] = [];
  let failed = false;
  for (const c of checks) {
    try {
      await c.check();
      lines.push(`[+]${c.name} ok`);
    } catch {
      failed = true;
      // Reasons stay in the server log, as kube-apiserver withholds them from anonymous callers.
      lines.push(`[-]${c.name} failed: reason withheld`);
    }
  }
  const verbose = ctx.query['verbose'] !== undefined;
  ctx.type = 'text/plain; charset=utf-8';
  ctx.set('Cache-Control', 'no-cache, private');
  ctx.set('X-Content-Type-Options', 'nosniff');
  if (failed) {
    ctx.status = 500;
    ctx.body = `${lines.join('\n')}\n${endpoint} check failed\n`;
  } else {
    ctx.status = 200;
    ctx.body = verbose ? `${lines.join('\n')}\n${endpoint} check passed\n` : 'ok';
  }
}
