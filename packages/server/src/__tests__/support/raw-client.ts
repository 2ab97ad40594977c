import { tokenFor } from './loopback';

/** An answer as a test inspects it. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The JSON body, or `undefined` when the body is not JSON. */
  readonly json: unknown;
}

/**
 * Sends a request with an organization's test token, as any HTTP client (not the SDK) could.
 * @param url - Full URL.
 * @param organizationId - Whose token to send; `null` sends none.
 * @param init - Method, body, extra headers.
 */
export async function send(
  url: string,
  organizationId: string | null,
  init: RequestInit = {},
): Promise<RawAnswer> {
  const headers = new Headers(init.headers);
  if (organizationId !== null) headers.set('authorization', `Bearer ${tokenFor(organizationId)}`);
  const response = await fetch(url, { ...init, headers });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/**
 * Calls one storage method with raw JSON.
 * @param base - The handler's base URL.
 * @param organizationId - Whose token to send.
 * @param method - The RPC method.
 * @param body - The body (normally `{ args: [...] }`), sent as JSON unless a string.
 * @param headers - Extra headers.
 */
export function rpc(
  base: string,
  organizationId: string | null,
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  return send(`${base}/v1/rpc/${method}`, organizationId, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The `error.code` of an answer, if any. */
export function codeOf(answer: RawAnswer): unknown {
  return (answer.json as { error?: { code?: unknown } } | undefined)?.error?.code;
}
