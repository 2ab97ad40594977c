import {
  CustomerError,
  DuplicateEmailError,
  ForbiddenFieldError,
  isCustomerError,
  NotFoundError,
  StorageError,
  ValidationError,
  VersionConflictError,
} from '@donutauto/core';
import { describe, expect, it } from 'vitest';

describe('isCustomerError', () => {
  it('recognizes SDK errors by code, also from another copy of the package', () => {
    const copy = Object.assign(new Error('from a duplicate package copy'), { code: 'not_found' });
    expect(isCustomerError(copy)).toBe(true);
    expect(isCustomerError(copy, 'not_found')).toBe(true);
    expect(isCustomerError(copy, 'version_conflict')).toBe(false);
  });

  it('rejects values that are not SDK errors', () => {
    expect(isCustomerError(new Error('x'))).toBe(false);
    expect(isCustomerError({ code: 'not_found' })).toBe(false);
    expect(isCustomerError(Object.assign(new Error('pg'), { code: '23505' }))).toBe(false);
    expect(isCustomerError(null)).toBe(false);
  });
});

describe('CustomerError subclasses', () => {
  it('carry a stable code, their class name and details', () => {
    const cases: [CustomerError, string, string][] = [
      [
        new ValidationError([{ path: ['email'], code: 'required', message: 'Email is required' }]),
        'validation_failed',
        'ValidationError',
      ],
      [new NotFoundError('c1'), 'not_found', 'NotFoundError'],
      [new VersionConflictError('c1', 1, 2), 'version_conflict', 'VersionConflictError'],
      [new ForbiddenFieldError('organizationId'), 'forbidden_field', 'ForbiddenFieldError'],
      [new DuplicateEmailError('a@b.co', { index: 3 }), 'duplicate_email', 'DuplicateEmailError'],
    ];
    for (const [error, code, name] of cases) {
      expect(error).toBeInstanceOf(CustomerError);
      expect([error.code, error.name]).toEqual([code, name]);
    }
    expect(
      new ValidationError([{ path: ['email'], code: 'required', message: 'Email is required' }]).message,
    ).toBe('Validation failed: email: Email is required');
    expect(new DuplicateEmailError('a@b.co', { index: 3 }).message).toContain('batch row 3');
  });

  it('keeps the driver error as cause', () => {
    const driver = new Error('connection reset');
    const error = new StorageError('Could not insert customers', driver);
    expect(error.cause).toBe(driver);
    expect(error.code).toBe('storage_failed');
    expect(error.retryable).toBe(false);
    expect(new StorageError('Connection lost', driver, { retryable: true }).retryable).toBe(true);
  });
});
