import { DuplicateEmailError, InvalidArgumentError } from '../errors/customer-error';
import type { Customer } from '../model/customer-schema';
import { normalizeEmail } from '../model/normalize';
import type { CustomerUpdate } from './storage-adapter';

/**
 * Refuses an `insertMany` batch holding a customer of another organization, before anything is
 * written.
 * @param organizationId - The tenant of the call.
 * @param customers - The batch.
 * @throws `invalid_argument` naming the first such row (`customers[i].organizationId`).
 */
export function checkBatchOrganization(organizationId: string, customers: readonly Customer[]): void {
  for (let index = 0; index < customers.length; index++) {
    if (customers[index]!.organizationId !== organizationId) {
      throw new InvalidArgumentError(`customers[${index}].organizationId`, 'belongs to another organization');
    }
  }
}

/**
 * Refuses an `updateMany` batch that names one customer twice, before anything is read or written.
 * @param updates - The batch.
 * @throws `invalid_argument` (`updates`) naming the repeated id.
 */
export function checkDistinctIds(updates: readonly CustomerUpdate[]): void {
  const seen = new Set<string>();
  for (const update of updates) {
    if (seen.has(update.id))
      throw new InvalidArgumentError('updates', `id ${JSON.stringify(update.id)} appears twice`);
    seen.add(update.id);
  }
}

/**
 * Refuses the puts of a `commitSync` when one takes an email another customer keeps: a stored
 * holder frees its email when this commit deletes it, or puts it with another email.
 * @param customers - The customers to put.
 * @param removing - Ids the commit deletes.
 * @param holderOf - The id of the stored customer holding a normalized email, if any.
 * @throws `duplicate_email` naming the email and its holder.
 */
export function checkPutEmails(
  customers: readonly Customer[],
  removing: ReadonlySet<string>,
  holderOf: (email: string) => string | undefined,
): void {
  const putEmails = new Map(customers.map((c) => [c.id, normalizeEmail(c.email)]));
  const claimed = new Map<string, string>();
  for (const [id, email] of putEmails) {
    const stored = holderOf(email);
    const frees =
      stored !== undefined && (removing.has(stored) || (putEmails.get(stored) ?? email) !== email);
    const holder = claimed.get(email) ?? (frees ? undefined : stored);
    if (holder !== undefined && holder !== id) throw new DuplicateEmailError(email, { existingId: holder });
    claimed.set(email, id);
  }
}
