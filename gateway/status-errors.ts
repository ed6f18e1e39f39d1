/**
 * The one place errors become responses: whatever a handler throws leaves as a Kubernetes
 * `Status` body with the reason's HTTP code. Errors that are not StatusErrors are 500s; they
 * are logged with their stack, and the body carries no stack.
 */
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { asStatusError, StatusError } from '../apimachinery/index.js';

/** Koa middleware turning thrown errors into Status bodies. */
export function statusErrors(logger: Logger) {
  return async function statusErrorsMiddleware(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (err) {
      const status = asStatusError(err);
      if (status.code >= 500) {
        logger.error({ err: err instanceof StatusError && err.cause !== undefined ? err.cause : err, path: ctx.path }, 'request failed');
      }
      if (ctx.headerSent) {
        // A streaming response already started: nothing left to say to the client.
        ctx.res.destroy();
        return;
      }
      ctx.status = status.code;
      ctx.type = 'application/json';
      ctx.body = status.toStatus();
    }
  };
}
