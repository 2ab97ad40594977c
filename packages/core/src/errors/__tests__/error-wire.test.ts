import {
  AbortedError,
  CampaignGenerationError,
  type CustomerError,
  DuplicateEmailError,
  ForbiddenFieldError,
  InvalidArgumentError,
  InvalidCursorError,
  isCustomerError,
  NotFoundError,
  RequestError,
  StorageError,
  ValidationError,
  VersionConflictError,
} from '@donutauto/core';
import { fromWireError, isTransientSaveError, toWireError } from '@donutauto/core/adapter';
import { describe, expect, it } from 'vitest';

/** Serializes like a server would (through JSON text) and reads it back like a client. */
function roundTrip(error: CustomerError): CustomerError {
  return fromWireError(JSON.parse(JSON.stringify({ error: toWireError(error) })));
}

describe('toWireError / fromWireError', () => {
  it('rebuilds every error class with its code, message and details', () => {
    const cases: CustomerError[] = [
      new ValidationError([
        { path: ['email'], code: 'invalid_format', message: 'Email is not a valid email address' },
        { path: ['customFields', 'tier'], code: 'unknown_custom_field', message: 'Unknown' },
      ]),
      new NotFoundError('c1'),
      new VersionConflictError('c1', 3, 4),
      new VersionConflictError('c2', 3),
      new ForbiddenFieldError('organizationId'),
      new DuplicateEmailError('ana@example.com', { index: 2, existingId: 'c9' }),
      new DuplicateEmailError('bo@example.com'),
      new InvalidArgumentError('numItems', 'expected an integer from 1 to 1000'),
      new InvalidCursorError('malformed'),
      new StorageError('Could not insert'),
      new StorageError('Connection lost', undefined, { retryable: true }),
      new AbortedError('Import stopped'),
      new CampaignGenerationError('rate_limited', 'Too many requests', { status: 429, retryAfterMs: 2_000 }),
      new CampaignGenerationError('invalid_output', 'Bad JSON', { retryable: false }),
      new RequestError('unauthorized', 'Sign in first'),
      new RequestError('forbidden', 'Not yours'),
      new RequestError('payload_too_large', 'Body over 1 MiB'),
      new RequestError('request_timeout', 'Body too slow'),
      new RequestError('idempotency_conflict', 'Key reused'),
    ];
    for (const original of cases) {
      const copy = roundTrip(original);
      expect(copy.constructor).toBe(original.constructor);
      expect(copy.name).toBe(original.name);
      expect(copy.message).toBe(original.message);
      expect(isCustomerError(copy, original.code)).toBe(true);
      const { stack: _a, ...details } = { ...original };
      const { stack: _b, ...copied } = { ...copy };
      expect(copied).toEqual(details);
    }
  });

  it('narrows version conflicts in the client exactly as on the server', () => {
    const copy = roundTrip(new VersionConflictError('c1', 3, 4));
    if (!isCustomerError(copy, 'version_conflict')) throw new Error('expected a version conflict');
    expect([copy.id, copy.expectedVersion, copy.actualVersion]).toEqual(['c1', 3, 4]);
  });

  it('sends no cause and no stack', () => {
    const wire = toWireError(new StorageError('Could not insert', new Error('relation "x" does not exist')));
    expect(JSON.stringify(wire)).not.toMatch(/relation|stack|at /);
  });

  it('reads an unknown or malformed body as storage_failed naming what it got', () => {
    const unknown = fromWireError({ error: { code: 'teapot', message: 'I am a teapot' } });
    expect(isCustomerError(unknown, 'storage_failed')).toBe(true);
    expect(unknown.message).toMatch(/teapot/);
    for (const body of [null, 'x', { error: 3 }, { error: { code: 'not_found' } }, []]) {
      expect(isCustomerError(fromWireError(body), 'storage_failed')).toBe(true);
    }
  });

  it('keeps only well-formed issues of a validation error', () => {
    const copy = fromWireError({
      error: {
        code: 'validation_failed',
        message: 'Validation failed: email: bad',
        issues: [{ path: ['email'], code: 'invalid_format', message: 'bad' }, { path: 'x' }, 7],
      },
    });
    expect((copy as ValidationError).issues).toEqual([
      { path: ['email'], code: 'invalid_format', message: 'bad' },
    ]);
  });
});

describe('isTransientSaveError', () => {
  it('does not retry a save the server refused for good', () => {
    for (const code of ['forbidden', 'payload_too_large', 'idempotency_conflict'] as const) {
      expect(isTransientSaveError(new RequestError(code, 'no'))).toBe(false);
    }
    expect(isTransientSaveError(new RequestError('request_timeout', 'slow'))).toBe(true);
    expect(isTransientSaveError(new RequestError('unauthorized', 'expired session'))).toBe(true);
  });
});
