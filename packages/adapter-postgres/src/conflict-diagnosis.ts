import { type Customer, DuplicateEmailError, normalizeEmail, StorageError } from '@donutauto/core';
import type { CustomerRow } from './row-codec';

/** A customer whose update sets this (normalized) email. */
export interface EmailChange {
  readonly id: string;
  readonly email: string;
}

/**
 * Names the first row of a refused batch, checking in the memory adapter's order: at each index, an
 * email already stored, then an email repeated earlier in the batch, then a taken id.
 * @param customers - The batch, in caller order.
 * @param stored - Stored rows holding one of the batch's ids or emails.
 * @returns The error to throw, or `undefined` when nothing conflicts any more (a concurrent delete).
 */
export function firstInsertConflict(
  customers: readonly Customer[],
  stored: readonly { id: string; email_key: string }[],
): Error | undefined {
  const storedEmails = new Map(stored.map((r) => [r.email_key, r.id]));
  const storedIds = new Set(stored.map((r) => r.id));
  const batchEmails = new Set<string>();
  const batchIds = new Set<string>();
  for (let index = 0; index < customers.length; index++) {
    const customer = customers[index]!;
    const email = normalizeEmail(customer.email);
    const holder = storedEmails.get(email);
    if (holder !== undefined) return new DuplicateEmailError(email, { index, existingId: holder });
    if (batchEmails.has(email)) return new DuplicateEmailError(email, { index });
    if (storedIds.has(customer.id) || batchIds.has(customer.id)) {
      return new StorageError(
        `Customer id ${JSON.stringify(customer.id)} already exists (batch row ${index})`,
      );
    }
    batchEmails.add(email);
    batchIds.add(customer.id);
  }
  return undefined;
}

/**
 * The `duplicate_email` error of an update that hit the unique email index.
 * @param changes - The emails the update set.
 * @param holders - Stored rows holding those emails.
 * @returns The error, naming the holder when another customer has the email.
 */
export function updateConflictError(
  changes: readonly EmailChange[],
  holders: readonly CustomerRow[],
): DuplicateEmailError {
  for (const { id, email } of changes) {
    const holder = holders.find((r) => normalizeEmail(String(r.email)) === email && r.id !== id);
    if (holder) return new DuplicateEmailError(email, { existingId: String(holder.id) });
  }
  return new DuplicateEmailError(changes[0]?.email ?? '');
}
