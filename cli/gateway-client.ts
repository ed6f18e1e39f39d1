/** The CLI's calls to a gateway's REST API: JSON in and out, Status bodies as messages, a deadline. */

/** Default deadline of one CLI request. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Calls `method path` on the gateway; throws an Error with the server's message on a non-2xx answer. */
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
  const parsed = text ? (JSON.parse(text) as { kind?: string; message?: string }) : undefined;
  if (!res.ok) throw new Error(parsed?.kind === 'Status' && parsed.message ? parsed.message : `${method} ${path}: HTTP ${res.status}`);
  return parsed as T;
}
