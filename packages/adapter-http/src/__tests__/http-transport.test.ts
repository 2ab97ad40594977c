import { createHttpAdapter, type FetchFunction } from '@donutauto/adapter-http';
import { isCustomerError } from '@donutauto/core';
import { describe, expect, it } from 'vitest';

type Answer = Response | Error;

/** A fetch that answers from a script and records every request. */
function scripted(answers: (() => Answer)[]) {
  const requests: { url: string; headers: Headers; body: string | undefined }[] = [];
  const fetch: FetchFunction = async (input, init) => {
    requests.push({
      url: String(input),
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
    });
    const next = answers.shift()?.() ?? new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, requests };
}

const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
const networkError = () => new TypeError('fetch failed');
const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };

describe('createHttpAdapter requests', () => {
  it('posts the arguments after organizationId to /v1/rpc/<method> with the organization header', async () => {
    const { fetch, requests } = scripted([json({ result: 3 })]);
    const adapter = createHttpAdapter({
      baseUrl: 'https://api.example.com/customers/',
      fetch,
      headers: { authorization: 'Bearer t' },
    });
    expect(await adapter.count('org_1', { text: 'ana' })).toBe(3);
    expect(requests[0]).toMatchObject({
      url: 'https://api.example.com/customers/v1/rpc/count',
      body: '{"args":[{"text":"ana"}]}',
    });
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer t');
    expect(requests[0]!.headers.get('donutauto-organization')).toBe('org_1');
    expect(requests[0]!.headers.get('idempotency-key')).toBeNull();
  });

  it('retries a read after network errors and 5xx answers, with backoff, bounded', async () => {
    const { fetch, requests } = scripted([
      networkError,
      json({ error: { code: 'storage_failed', message: 'x' } }, 503),
      json({ result: 1 }),
    ]);
    const adapter = createHttpAdapter({ baseUrl: 'http://x', fetch, retry: fast });
    expect(await adapter.count('o', {})).toBe(1);
    expect(requests).toHaveLength(3);
    const down = scripted(Array(10).fill(networkError));
    const error = await createHttpAdapter({ baseUrl: 'http://x', fetch: down.fetch, retry: fast })
      .count('o', {})
      .catch((e: unknown) => e);
    expect(isCustomerError(error, 'storage_failed')).toBe(true);
    expect(down.requests).toHaveLength(4);
  });

  it('sends every attempt of one write with the same idempotency key, and each write with its own', async () => {
    const { fetch, requests } = scripted([networkError, json({}), json({})]);
    const adapter = createHttpAdapter({ baseUrl: 'http://x', fetch, retry: fast });
    await adapter.delete('o', 'a');
    await adapter.delete('o', 'b');
    const keys = requests.map((r) => r.headers.get('idempotency-key'));
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(requests.map((r) => r.headers.get('donutauto-attempt'))).toEqual(['1', '2', '1']);
  });

  it('does not retry an answer that will not change (4xx), and rebuilds its typed error', async () => {
    const { fetch, requests } = scripted([
      json(
        {
          error: {
            code: 'version_conflict',
            message: 'changed',
            id: 'a',
            expectedVersion: 1,
            actualVersion: 2,
          },
        },
        409,
      ),
    ]);
    const adapter = createHttpAdapter({ baseUrl: 'http://x', fetch, retry: fast });
    const error = await adapter
      .update('o', 'a', {}, { updatedAt: 1, expectedVersion: 1 })
      .catch((e: unknown) => e);
    expect(isCustomerError(error, 'version_conflict') && error.actualVersion).toBe(2);
    expect(requests).toHaveLength(1);
  });

  it('does not retry a 500 (the server answers a retryable failure with 503)', async () => {
    const { fetch, requests } = scripted([
      json({ error: { code: 'storage_failed', message: 'x', retryable: false } }, 500),
    ]);
    const error = await createHttpAdapter({ baseUrl: 'http://x', fetch, retry: fast })
      .count('o', {})
      .catch((e: unknown) => e);
    expect(isCustomerError(error, 'storage_failed') && error.retryable).toBe(false);
    expect(requests).toHaveLength(1);
  });

  it('turns a proxy’s non-JSON error page into storage_failed, and waits as Retry-After asks', async () => {
    const { fetch, requests } = scripted([
      () => new Response('<html>Bad gateway</html>', { status: 502 }),
      json({ error: { code: 'storage_failed', message: 'busy' } }, 429, { 'retry-after': '0.05' }),
      json({ result: 2 }),
    ]);
    const adapter = createHttpAdapter({
      baseUrl: 'http://x',
      fetch,
      retry: { retries: 3, minDelayMs: 1, maxDelayMs: 1_000 },
    });
    const started = Date.now();
    expect(await adapter.count('o', {})).toBe(2);
    expect(requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('calls a headers function before every attempt (a refreshed token is used on retry)', async () => {
    const { fetch, requests } = scripted([networkError, json({ result: 0 })]);
    let token = 0;
    const adapter = createHttpAdapter({
      baseUrl: 'http://x',
      fetch,
      retry: fast,
      headers: () => ({ authorization: `Bearer ${++token}` }),
    });
    await adapter.count('o', {});
    expect(requests.map((r) => r.headers.get('authorization'))).toEqual(['Bearer 1', 'Bearer 2']);
  });

  it('refuses a missing baseUrl, and an import aborted by its signal rejects with aborted', async () => {
    expect(() => createHttpAdapter({} as never)).toThrow(/baseUrl/);
    expect(() => createHttpAdapter({ baseUrl: 'api/customers' })).toThrow(
      expect.objectContaining({ code: 'invalid_argument', argument: 'baseUrl' }),
    );
    const controller = new AbortController();
    const fetch: FetchFunction = (_input, init) =>
      new Promise((_, reject) =>
        init?.signal?.aborted
          ? reject(new DOMException('aborted', 'AbortError'))
          : init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    const adapter = createHttpAdapter({ baseUrl: 'http://x', fetch });
    const pending = adapter.importCsv('o', 'a,b\n', { signal: controller.signal });
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(isCustomerError(error, 'aborted')).toBe(true);
  });
});
