import { InvalidArgumentError } from '../errors/customer-error';
import type { Customer } from '../model/customer-schema';
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
