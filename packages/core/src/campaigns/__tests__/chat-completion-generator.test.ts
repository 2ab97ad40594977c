import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CampaignGenerationError,
  type CampaignGeneratorInput,
  createChatCompletionGenerator,
  isCustomerError,
  PLATFORM_LIMITS,
} from '@donutauto/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientWith } from './campaign-test-kit';

const API_KEY = 'sk-test-0123456789abcdef';

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: {
    model: string;
    temperature: number;
    messages: { role: string; content: string }[];
    [key: string]: unknown;
  };
}

/** A mock OpenAI-compatible server on loopback: each test says how the next requests are answered. */
let server: Server;
let baseUrl: string;
let received: Received[] = [];
let answer: (request: Received, res: ServerResponse) => void;

const completion = (content: string) =>
  JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] });

function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const request = { method: req.method, url: req.url, headers: req.headers, body: JSON.parse(raw) };
      received.push(request);
      answer(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
});

function input(
  platform: keyof typeof PLATFORM_LIMITS,
  contentType: 'fact' | 'custom' = 'fact',
): CampaignGeneratorInput {
  return {
    campaign: {
      title: 'Autumn specials',
      contentType,
      platform,
      instructions: contentType === 'custom' ? 'Mention the pumpkin spice glaze' : null,
      limits: PLATFORM_LIMITS[platform],
    },
    customer: {
      firstName: 'Ana',
      preferences: ['glazed'],
      tags: ['vip'],
      birthdayMonth: 10,
      location: 'Leeds',
      customFields: {},
    },
  };
}

const context = (signal = new AbortController().signal) => ({ signal, campaignId: 'campaign-1', attempt: 1 });

async function failure(promise: Promise<unknown>): Promise<CampaignGenerationError> {
  try {
    await promise;
  } catch (error) {
    return error as CampaignGenerationError;
  }
  throw new Error('expected the generator to fail');
}

describe('createChatCompletionGenerator', () => {
  it('posts the brief, limits and marketing data, and reads a JSON answer', async () => {
    answer = (_request, res) =>
      reply(
        res,
        200,
        completion('```json\n{"subject": "Ana, a treat", "text": "Hi Ana! Glazed goodness awaits."}\n```'),
      );
    const generator = createChatCompletionGenerator({
      baseUrl,
      apiKey: API_KEY,
      model: 'test-model',
      brandName: 'Donut Corner',
      extraBody: { max_tokens: 500 },
    });
    const output = await generator(input('email'), context());
    expect(output).toEqual({ subject: 'Ana, a treat', text: 'Hi Ana! Glazed goodness awaits.' });
    const [request] = received;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/chat/completions' });
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request!.body).toMatchObject({ model: 'test-model', temperature: 0.7, max_tokens: 500 });
    const [system, user] = request!.body.messages;
    expect(system!.role).toBe('system');
    expect(system!.content).toContain('Donut Corner');
    expect(system!.content).toContain('at most 20000 characters, and the subject at most 150 characters');
    expect(JSON.parse(user!.content)).toEqual({
      campaign: { title: 'Autumn specials', contentType: 'fact', platform: 'email' },
      customer: input('email').customer,
    });
  });

  it('states the platform limit in the prompt and accepts plain text for a post', async () => {
    answer = (_request, res) =>
      reply(res, 200, completion('  Hi Ana, did you know glaze keeps a donut soft?  '));
    const generator = createChatCompletionGenerator({ baseUrl, apiKey: API_KEY, model: 'm' });
    expect(await generator(input('twitter_post', 'custom'), context())).toEqual({
      text: 'Hi Ana, did you know glaze keeps a donut soft?',
    });
    const [system, user] = received[0]!.body.messages;
    expect(system!.content).toContain('Twitter post');
    expect(system!.content).toContain('at most 280 characters.');
    expect(JSON.parse(user!.content).campaign.instructions).toBe('Mention the pumpkin spice glaze');
  });

  it('maps a rate limit to a retryable error carrying Retry-After', async () => {
    answer = (_request, res) =>
      reply(res, 429, JSON.stringify({ error: { message: 'Slow down' } }), { 'retry-after': '2' });
    const generator = createChatCompletionGenerator({ baseUrl, apiKey: API_KEY, model: 'm' });
    const error = await failure(generator(input('email'), context()));
    expect(isCustomerError(error, 'generation_failed')).toBe(true);
    expect(error).toMatchObject({
      reason: 'rate_limited',
      retryable: true,
      status: 429,
      retryAfterMs: 2_000,
    });
    expect(error.message).toContain('HTTP 429: Slow down');
  });

  it('retries server failures but not refused requests, and never echoes the API key', async () => {
    const generator = createChatCompletionGenerator({ baseUrl, apiKey: API_KEY, model: 'm' });
    answer = (_request, res) => reply(res, 503, 'Service Unavailable');
    expect(await failure(generator(input('email'), context()))).toMatchObject({
      reason: 'http_error',
      retryable: true,
      status: 503,
    });
    answer = (_request, res) =>
      reply(res, 401, JSON.stringify({ error: { message: `Incorrect API key provided: ${API_KEY}` } }));
    const refused = await failure(generator(input('email'), context()));
    expect(refused).toMatchObject({ reason: 'http_error', retryable: false, status: 401 });
    expect(refused.message).not.toContain(API_KEY);
    expect(refused.message).toContain('[redacted]');
  });

  it('refuses answers that are not what the API promised, as retryable', async () => {
    const generator = createChatCompletionGenerator({ baseUrl, apiKey: API_KEY, model: 'm' });
    for (const body of [
      '<html>Gateway</html>',
      JSON.stringify({ choices: [] }),
      completion('plain text, no subject'),
    ]) {
      answer = (_request, res) => reply(res, 200, body);
      expect(await failure(generator(input('email'), context()))).toMatchObject({
        reason: 'invalid_response',
        retryable: true,
      });
    }
  });

  it('times out through its own timer, and stops at once when the caller aborts', async () => {
    answer = (_request, res) => setTimeout(() => reply(res, 200, completion('late')), 2_000);
    const slow = createChatCompletionGenerator({ baseUrl, apiKey: API_KEY, model: 'm', timeoutMs: 50 });
    const timedOut = await failure(slow(input('twitter_post'), context()));
    expect(timedOut).toMatchObject({ reason: 'timeout', retryable: true });
    const patient = createChatCompletionGenerator({
      baseUrl,
      apiKey: API_KEY,
      model: 'm',
      timeoutMs: 60_000,
    });
    const controller = new AbortController();
    const started = Date.now();
    const pending = patient(input('twitter_post'), context(controller.signal));
    setTimeout(() => controller.abort(new Error('run aborted')), 30);
    expect((await failure(pending)).message).toBe('run aborted');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('maps a connection failure to a retryable network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const generator = createChatCompletionGenerator({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: API_KEY,
      model: 'm',
    });
    expect(await failure(generator(input('email'), context()))).toMatchObject({
      reason: 'network',
      retryable: true,
    });
  });

  it('refuses bad options with invalid_argument naming the option', () => {
    const call = (options: unknown) => () => createChatCompletionGenerator(options as never);
    expect(call({ baseUrl: 'ftp://x', apiKey: 'k', model: 'm' })).toThrow(/options\.baseUrl/);
    expect(call({ baseUrl, model: 'm' })).toThrow(/options\.apiKey/);
    expect(call({ baseUrl, apiKey: 'k', model: '' })).toThrow(/options\.model/);
    expect(call({ baseUrl, apiKey: 'k', model: 'm', timeoutMs: 0 })).toThrow(/options\.timeoutMs/);
  });

  it("words the issues its schema leaves to zod in the SDK style, never zod's fallback", () => {
    const call = (options: unknown) => () => createChatCompletionGenerator(options as never);
    const base = { baseUrl, apiKey: 'k', model: 'm' };
    expect(call({ ...base, temperature: 5 })).toThrow('Invalid options.temperature: expected at most 2');
    expect(call({ ...base, timeoutMs: 0 })).toThrow('Invalid options.timeoutMs: expected at least 1');
    expect(call({ ...base, timeoutMs: 1.5 })).toThrow('Invalid options.timeoutMs: expected int');
    expect(call({ ...base, style: 'x'.repeat(2_001) })).toThrow(
      'Invalid options.style: expected at most 2000 characters',
    );
    expect(call({ ...base, headers: { a: 1 } })).toThrow('Invalid options.headers.a: expected string');
    expect(call({ ...base, nope: true })).toThrow('Invalid options.nope: unknown property');
  });

  it('drives a whole run: a 503 is retried and the answer stored', async () => {
    const { client, ids } = await clientWith(2);
    let calls = 0;
    answer = (request, res) => {
      calls++;
      if (calls === 1) return reply(res, 503, '{}');
      const customer = JSON.parse(request.body.messages[1]!.content).customer;
      reply(res, 200, completion(JSON.stringify({ text: `Hi ${customer.firstName}!` })));
    };
    const report = await client.generateCampaigns(
      { target: { customerIds: ids }, title: 'T', contentTypes: ['fact'], platforms: ['instagram_post'] },
      {
        generator: createChatCompletionGenerator({ baseUrl, apiKey: API_KEY, model: 'm' }),
        concurrency: 1,
        backoff: { minDelayMs: 1, maxDelayMs: 5 },
      },
    );
    expect(report.counts).toMatchObject({ completed: 2, failed: 0 });
    expect(report.results.map((r) => [r.content?.text, r.attempts])).toEqual([
      ['Hi Name0!', 2],
      ['Hi Name1!', 1],
    ]);
  });
});
