/** The CLI's calls to a gateway's REST API: JSON in and out, Status bodies as messages, a deadline. */

/** Default deadline of one CLI request. */
const REQUEST_TIMEOUT_MS = 10_000;

/** A non-2xx answer of the gateway: the server's message, and the HTTP status. */
export class GatewayRequestError extends Error {
  override readonly name = 'GatewayRequestError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Calls `method path` on the gateway; throws a GatewayRequestError with the server's message on a non-2xx answer. */
export async function gatewayRequest<T = any>(base: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${base.replace(/\/$/, '')}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': contentType },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    throw new Error(`cannot reach the gateway at ${base}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const text = await res.text();
  let parsed: { kind?: string; message?: string } | undefined;
  try {
    parsed = text ? (JSON.parse(text) as { kind?: string; message?: string }) : undefined;
  } catch {
    if (res.ok) throw new Error(`${method} ${path}: the gateway answered with something that is not JSON`);
  }
  if (!res.ok) throw new GatewayRequestError(parsed?.kind === 'Status' && parsed.message ? parsed.message : `${method} ${path}: HTTP ${res.status}`, res.status);
  return parsed as T;
}
