/**
 * The outermost middleware: one structured log line and one metrics sample per request,
 * written after every inner middleware (errors included) settled the response code.
 */
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import type { GatewayMetrics } from './metrics.js';
import { requestFacts } from './request-context.js';

/** Logs (info; health and metrics at debug) and measures each request. */
export function requestLog(logger: Logger, metrics: GatewayMetrics) {
  return async function requestLogMiddleware(ctx: Context, next: Next): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const facts = requestFacts(ctx);
      const code = ctx.status;
      if (facts.verb !== undefined && facts.resource !== undefined) {
        metrics.observeRequest(facts.verb.toUpperCase(), facts.resource, code, seconds);
      }
      const line = {
        method: ctx.method,
        path: ctx.path,
        verb: facts.verb,
        resource: facts.resource,
        namespace: facts.namespace,
        name: facts.name,
        code,
        latencyMs: Math.round(seconds * 1e6) / 1e3,
      };
      if (facts.quiet) logger.debug(line, 'request');
      else logger.info(line, 'request');
    }
  };
}
