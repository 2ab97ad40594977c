// Helpers shared by the conformance suite's files (internal to @donutauto/testing).
import { type Customer, type CustomerData, isCustomerError } from '@donutauto/core';
import {
  buildCustomer,
  type CustomerSort,
  type NormalizedFilter,
  type StorageAdapter,
} from '@donutauto/core/adapter';
import { expect } from 'vitest';
import { customerDataFixture } from './fixtures';

let orgCounter = 0;
/** A fresh organization id per test: tests share the adapter but never each other's rows. */
export function freshOrg(label: string): string {
  orgCounter++;
  return `org-${label}-${orgCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

let idCounter = 0;
/** A unique customer id that sorts by `createdAt` first, like the client's ids. */
export function testId(createdAt: number): string {
  idCounter++;
  return `${createdAt.toString(36).padStart(10, '0')}-${String(idCounter).padStart(8, '0')}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Customer data numbered `i`: `First<i> Last<i>`, `person<i>@example.com`, plus `extra`. */
export function person(i: number, extra: Partial<CustomerData> = {}): CustomerData {
  return customerDataFixture(
    { firstName: `First${i}`, lastName: `Last${i}`, email: `person${i}@example.com` },
    extra,
  );
}

/** A built customer of `org` with a fresh id. */
export function make(org: string, data: CustomerData, createdAt = 1_000): Customer {
  return buildCustomer(data, org, createdAt, testId);
}

/** Awaits `promise`, expecting it to reject with a `CustomerError` of `code`; returns the error. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    expect(isCustomerError(error) ? error.code : error).toBe(code);
    return error;
  }
  throw new Error(`expected a ${code} error, but the call succeeded`);
}

/** Every row of an organization, paging `numItems` at a time through `list`. */
export async function listAll(
  adapter: StorageAdapter,
  org: string,
  numItems: number,
  filter: NormalizedFilter = {},
  sort: CustomerSort = 'newest',
): Promise<Customer[]> {
  const out: Customer[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 10_000; guard++) {
    const result = await adapter.list(org, { numItems, cursor, filter, sort });
    expect(result.page.length).toBeLessThanOrEqual(numItems);
    out.push(...result.page);
    if (result.isDone) return out;
    cursor = result.continueCursor;
  }
  throw new Error('pagination did not terminate');
}
