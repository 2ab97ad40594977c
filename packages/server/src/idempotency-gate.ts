import { HEADERS } from '@donutauto/adapter-http/protocol';
import { InvalidArgumentError, RequestError } from '@donutauto/core';
import type { IdempotencyRecord, IdempotencyStore } from './idempotency-store';
import { errorResponse, textResponse } from './responses';

/** What carrying out a write produced. */
export interface WriteOutcome {
  /** The answer to send now (it may still be streaming). */
  readonly response: Response;
  /** Settles when the write is over: the answer to remember, or `undefined` to remember nothing. */
  readonly settled: Promise<IdempotencyRecord | undefined>;
}

/** A visible-ASCII key of 1–255 characters, as Stripe accepts. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Reads a request's `Idempotency-Key`.
 * @param request - The request.
 * @returns The key, or `undefined` when the request has none.
 * @throws `invalid_argument` for a key that is not 1–255 visible ASCII characters.
 */
export function idempotencyKeyOf(request: Request): string | undefined {
  const key = request.headers.get(HEADERS.idempotencyKey);
  if (key === null) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw new InvalidArgumentError(HEADERS.idempotencyKey, 'expected 1–255 visible ASCII characters');
  }
  return key;
}

/**
 * Carries out each write named by an idempotency key once (Stripe's semantics): while a write
 * runs, a request with the same key waits for it; a finished write's remembered answer is
 * replayed (`Idempotent-Replayed: true`) to a request with the same fingerprint, and a request
 * with another fingerprint is refused with `idempotency_conflict`. Keys are scoped by organization
 * by the caller, so one organization can never replay another's answer.
 */
export class IdempotencyGate {
  readonly #store: IdempotencyStore;
  readonly #running = new Map<string, Promise<void>>();

  /** @param store - Where answers are remembered. */
  constructor(store: IdempotencyStore) {
    this.#store = store;
  }

  /**
   * Runs a write under its key.
   * @param scope - The organization-scoped key.
   * @param fingerprint - Computes the request's fingerprint (may read the whole body).
   * @param execute - Carries the write out.
   * @returns The answer: carried out, replayed, or an `idempotency_conflict` error.
   */
  async run(
    scope: string,
    fingerprint: () => Promise<string>,
    execute: () => Promise<WriteOutcome>,
  ): Promise<Response> {
    for (let running = this.#running.get(scope); running; running = this.#running.get(scope)) await running;
    let release = () => {};
    this.#running.set(
      scope,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    const done = () => {
      this.#running.delete(scope);
      release();
    };
    try {
      const stored = await this.#store.get(scope);
      if (stored) {
        done();
        return (await fingerprint()) === stored.fingerprint ? replay(stored) : conflict();
      }
      const outcome = await execute();
      void outcome.settled
        .then((record) => (record ? this.#store.set(scope, record) : undefined))
        .catch(() => {})
        .finally(done);
      return outcome.response;
    } catch (error) {
      done();
      throw error;
    }
  }
}

function replay(record: IdempotencyRecord): Response {
  return textResponse(record.body, record.status, record.contentType, { [HEADERS.replayed]: 'true' });
}

function conflict(): Response {
  return errorResponse(
    new RequestError(
      'idempotency_conflict',
      'This Idempotency-Key was already used for a different request: use a new key for a new request',
    ),
  );
}
