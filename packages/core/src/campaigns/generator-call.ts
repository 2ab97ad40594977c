import { CampaignGenerationError, isCustomerError } from '../errors/customer-error';
import { type CampaignContent, campaignContentSchema, toStorableText } from '../model/campaign-model';
import type { CampaignFailure, CampaignRecord } from '../store/campaign-store';
import type { UpdateQueueTimers } from '../updates/queue-timers';
import { isTransientSaveError } from '../updates/retry-backoff';
import type { CampaignGenerator, CampaignGeneratorInput } from './campaign-generator';
import { ISSUE_MESSAGES } from './issue-messages';

/** Longest error message kept on a record. */
const MAX_ERROR_MESSAGE = 1_000;

/** How one generator call ended: checked content, or the error (the abort reason when it was aborted). */
export type CallOutcome = { ok: true; content: CampaignContent } | { ok: false; error: unknown };

/**
 * Calls the generator for one campaign with its own signal, aborted after `timeoutMs`, and checks
 * the answer against the platform's limits. The call starts synchronously, so a caller's check
 * just before it (was the run aborted?) and the call itself happen in the same step.
 * @param controller - The call's controller, made (and kept) by the caller first so that an abort
 * during the call itself reaches it.
 * @param generator - The generator.
 * @param input - The generator input.
 * @param record - The campaign (id, platform).
 * @param attempt - 1-based attempt number.
 * @param timers - Timers for the timeout.
 * @param timeoutMs - The call's time limit.
 * @returns How the call ended; never rejects.
 */
export function callGenerator(
  controller: AbortController,
  generator: CampaignGenerator,
  input: CampaignGeneratorInput,
  record: Pick<CampaignRecord, 'id' | 'platform'>,
  attempt: number,
  timers: UpdateQueueTimers,
  timeoutMs: number,
): Promise<CallOutcome> {
  const { signal } = controller;
  const timer = timers.setTimeout(() => {
    controller.abort(
      new CampaignGenerationError('timeout', `The generator did not answer within ${timeoutMs} ms`),
    );
  }, timeoutMs);
  const answer = invoke(() => generator(input, { signal, campaignId: record.id, attempt }));
  return untilAborted(answer, signal)
    .then((output): CallOutcome => {
      const checked = campaignContentSchema(record.platform).safeParse(output, ISSUE_MESSAGES);
      if (checked.success) return { ok: true, content: checked.data };
      const issue = checked.error.issues[0];
      const where = issue?.path.join('.') || 'answer';
      throw new CampaignGenerationError(
        'invalid_output',
        `The generator's answer does not fit ${record.platform}: ${where}: ${issue?.message}`,
      );
    })
    .catch((error: unknown): CallOutcome => ({ ok: false, error: signal.aborted ? signal.reason : error }))
    .finally(() => timers.clearTimeout(timer));
}

/**
 * Whether a failed call is worth another attempt: a generation error says so itself; the core's
 * typed permanent errors are not; anything else (network, storage, unknown) is.
 * @param error - What the call failed with.
 * @returns `true` to retry with backoff.
 */
export function isRetryable(error: unknown): boolean {
  if (isCustomerError(error, 'generation_failed')) return error.retryable;
  return isTransientSaveError(error);
}

/**
 * How long the service asked to wait before a retry.
 * @param error - What the call failed with.
 * @returns Milliseconds (0 when it did not say).
 */
export function retryAfterOf(error: unknown): number {
  return isCustomerError(error, 'generation_failed') ? (error.retryAfterMs ?? 0) : 0;
}

/**
 * The failure stored with a campaign: the error's code (`generation_failed` for foreign errors)
 * and a storable message of at most 1,000 characters.
 * @param error - What the call failed with.
 * @returns The stored failure.
 */
export function failureOf(error: unknown): CampaignFailure {
  const code = isCustomerError(error) ? error.code : 'generation_failed';
  const message =
    error instanceof Error
      ? isCustomerError(error)
        ? error.message
        : `${error.name}: ${error.message}`
      : `The generator failed: ${String(error)}`;
  return { code: toStorableText(code), message: toStorableText(message.slice(0, MAX_ERROR_MESSAGE)) };
}

/** Calls `fn`, turning a synchronous throw into a rejection. */
function invoke<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts: a generator
 * that ignores its signal does not keep the run waiting (its late answer is discarded).
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
