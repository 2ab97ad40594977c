import * as z from 'zod/mini';
import { AbortedError, CampaignGenerationError } from '../errors/customer-error';
import type { CampaignContentType } from '../model/campaign-types';
import type {
  CampaignGenerator,
  CampaignGeneratorInput,
  CampaignGeneratorOutput,
} from './campaign-generator';
import { parsed } from './parsed-argument';

/** The `fetch` the generator calls: the global one, or any compatible function (a proxy, a test double). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Options of {@link createChatCompletionGenerator}. */
export interface ChatCompletionGeneratorOptions {
  /** The API's base URL, e.g. `https://api.openai.com/v1` (`/chat/completions` is appended). */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; never appears in errors. Empty for servers without keys. */
  readonly apiKey: string;
  /** The model name, e.g. `gpt-4o-mini`. */
  readonly model: string;
  /** The `fetch` to use. @defaultValue globalThis.fetch */
  readonly fetch?: FetchLike;
  /** A call not answered within this many ms fails with reason `timeout` (retryable). @defaultValue 30000 */
  readonly timeoutMs?: number;
  /** Sampling temperature, 0–2. @defaultValue 0.7 */
  readonly temperature?: number;
  /** The business's name, for the prompt. @defaultValue none (the prompt says "a food and beverage business") */
  readonly brandName?: string;
  /** Extra instructions appended to the system prompt (voice, words to avoid, …). */
  readonly style?: string;
  /** Extra request headers (e.g. an organization or project header). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Extra request body fields for your provider, e.g. `{ max_tokens: 600, response_format: { type: 'json_object' } }`. */
  readonly extraBody?: Readonly<Record<string, unknown>>;
}

const optionsSchema = /* @__PURE__ */ z.strictObject({
  baseUrl: z
    .string({ error: 'expected a URL' })
    .check(z.refine((v) => /^https?:\/\//i.test(v) && URL.canParse(v), 'expected an http(s) URL')),
  apiKey: z.string({ error: 'expected the API key (a string; empty when the server needs none)' }),
  model: z.string({ error: 'expected a model name' }).check(z.minLength(1, 'expected a model name')),
  fetch: z.optional(z.custom<FetchLike>((v) => typeof v === 'function', 'expected a fetch function')),
  timeoutMs: z._default(z.int().check(z.gte(1), z.lte(600_000)), 30_000),
  temperature: z._default(z.number().check(z.gte(0), z.lte(2)), 0.7),
  brandName: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  style: z.optional(z.string().check(z.maxLength(2_000))),
  headers: z.optional(z.record(z.string(), z.string())),
  extraBody: z.optional(z.record(z.string(), z.unknown())),
});

const WHAT: Record<CampaignContentType, string> = {
  quiz: 'a short quiz question the customer can answer (for example true or false), with its answer',
  fact: 'one interesting and true fact related to the customer’s preferences',
  myth: 'one common myth related to the customer’s preferences, followed by the truth',
  general: 'a promotion of the campaign’s title',
  custom: 'what the campaign’s instructions ask for',
};

/** HTTP statuses worth retrying: timeouts, conflicts, rate limits and server-side failures. */
const RETRYABLE_STATUS = /* @__PURE__ */ new Set([408, 409, 425, 429, 500, 502, 503, 504, 529]);

/**
 * A generator for any OpenAI-compatible chat completion endpoint (OpenAI, Azure OpenAI's
 * compatible route, OpenRouter, Groq, vLLM, Ollama, LM Studio, …). The prompt holds the brief, the
 * platform's limits and the customer data the run shares (marketing data only, unless the caller
 * opted in); the model is asked for JSON (`{ "text" }`, plus `"subject"` for email). Failures are
 * typed {@link CampaignGenerationError}s: timeouts, network errors, rate limits (with the server's
 * `Retry-After`) and 5xx answers are retryable; other 4xx answers are not. Only `fetch` is used, so
 * it runs in browsers, Node, Deno, Bun and edge runtimes.
 * @param options - Endpoint, key, model, and optional `fetch`, timeout, temperature, brand, style.
 * @returns A {@link CampaignGenerator}.
 * @throws `invalid_argument` naming the option (`options.baseUrl`, …).
 * @example
 * const generator = createChatCompletionGenerator({
 *   baseUrl: 'https://api.openai.com/v1',
 *   apiKey: process.env.OPENAI_API_KEY ?? '',
 *   model: 'gpt-4o-mini',
 *   brandName: 'Donut Corner',
 * });
 */
export function createChatCompletionGenerator(options: ChatCompletionGeneratorOptions): CampaignGenerator {
  const o = parsed('options', optionsSchema, options);
  const url = `${o.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const host = new URL(url).host;
  const send = o.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
  /** Error text from a server never carries the key back to logs or stored records. */
  const scrub = (text: string) =>
    (o.apiKey.length >= 4 ? text.replaceAll(o.apiKey, '[redacted]') : text).slice(0, 300);

  return async (input, { signal }) => {
    if (signal.aborted) throw signal.reason ?? new AbortedError();
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, o.timeoutMs);
    const failed = (error: unknown, doing: string): Error => {
      if (signal.aborted) return signal.reason ?? new AbortedError();
      if (timedOut)
        return new CampaignGenerationError('timeout', `${host} did not answer within ${o.timeoutMs} ms`);
      const detail = error instanceof Error ? `: ${scrub(error.message)}` : '';
      return new CampaignGenerationError('network', `${doing} ${host} failed${detail}`, { cause: error });
    };
    try {
      let response: Response;
      try {
        response = await send(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            ...(o.apiKey === '' ? {} : { authorization: `Bearer ${o.apiKey}` }),
            ...o.headers,
          },
          body: JSON.stringify({
            model: o.model,
            temperature: o.temperature,
            messages: prompt(input, o.brandName, o.style),
            ...o.extraBody,
          }),
          signal: controller.signal,
        });
      } catch (error) {
        throw failed(error, 'Calling');
      }
      let body: string;
      try {
        body = await response.text();
      } catch (error) {
        throw failed(error, 'Reading the answer of');
      }
      if (!response.ok) throw httpError(response, body, host, scrub);
      return answerOf(body, input, host);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  };
}

function prompt(
  input: CampaignGeneratorInput,
  brandName: string | undefined,
  style: string | undefined,
): { role: 'system' | 'user'; content: string }[] {
  const { campaign } = input;
  const { limits } = campaign;
  const shape = limits.subject ? '{"subject": "...", "text": "..."}' : '{"text": "..."}';
  const system = [
    `You write marketing campaigns for ${brandName ?? 'a food and beverage business'}.`,
    `Write ${limits.textRole} for ${limits.label}: ${WHAT[campaign.contentType]}.`,
    `The text must be at most ${limits.maxTextLength} characters` +
      (limits.subject ? `, and the subject at most ${limits.maxSubjectLength} characters.` : '.'),
    'Address the customer by first name. Use only the customer data given; never invent personal details.',
    `Reply with JSON only, exactly ${shape}.`,
    ...(style ? [style] : []),
  ].join('\n');
  const user = JSON.stringify({
    campaign: {
      title: campaign.title,
      contentType: campaign.contentType,
      platform: campaign.platform,
      ...(campaign.instructions === null ? {} : { instructions: campaign.instructions }),
    },
    customer: input.customer,
  });
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

function retryAfterMs(response: Response): number | undefined {
  const ms = Number(response.headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const header = response.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1_000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function httpError(response: Response, body: string, host: string, scrub: (text: string) => string) {
  let detail = '';
  try {
    const message = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') detail = `: ${scrub(message)}`;
  } catch {
    // Not JSON: the status says enough.
  }
  const status = response.status;
  const wait = retryAfterMs(response);
  return new CampaignGenerationError(
    status === 429 ? 'rate_limited' : 'http_error',
    `${host} answered HTTP ${status}${detail}`,
    {
      status,
      retryable: RETRYABLE_STATUS.has(status),
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
    },
  );
}

function answerOf(body: string, input: CampaignGeneratorInput, host: string): CampaignGeneratorOutput {
  const invalid = (why: string) => new CampaignGenerationError('invalid_response', `${host} answered ${why}`);
  let content: unknown;
  try {
    content = (JSON.parse(body) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message
      ?.content;
  } catch {
    throw invalid('with something that is not JSON');
  }
  if (typeof content !== 'string' || content.trim() === '') throw invalid('without a message');
  const email = input.campaign.limits.subject;
  // Models often wrap JSON in a Markdown code fence.
  const unfenced = content
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  let answer: { text?: unknown; subject?: unknown } | undefined;
  try {
    const value: unknown = JSON.parse(unfenced);
    if (typeof value === 'object' && value !== null) answer = value as typeof answer;
  } catch {
    answer = undefined;
  }
  if (answer === undefined) {
    if (email) throw invalid('an email without the requested JSON subject and text');
    return { text: content.trim() };
  }
  if (typeof answer.text !== 'string') throw invalid('JSON without a "text"');
  if (!email) return { text: answer.text };
  if (typeof answer.subject !== 'string') throw invalid('an email without a "subject"');
  return { subject: answer.subject, text: answer.text };
}
