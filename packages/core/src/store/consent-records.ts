import { InvalidArgumentError } from '../errors/customer-error';
import { CONSENT_CHANNELS, sameChannelConsent, UNKNOWN_CONSENT } from '../model/consent';
import type { Customer } from '../model/customer-schema';
import type { ConsentHistoryEntry, ErasureTombstone } from './consent-store';

/**
 * The consent history entries a customer write adds (see `ConsentStore`): for a new customer, one
 * per channel that is not the untouched `unknown`; for an update, one per channel whose stored
 * consent changed. Every adapter writes exactly these, in the write's transaction.
 * @param previous - The stored customer before the write, or `undefined` for an insert.
 * @param next - The customer as the write stores it.
 * @returns The entries, in channel order.
 */
export function consentHistoryOf(
  previous: Pick<Customer, 'consent'> | undefined,
  next: Customer,
): ConsentHistoryEntry[] {
  const out: ConsentHistoryEntry[] = [];
  for (const channel of CONSENT_CHANNELS) {
    const now = next.consent[channel];
    if (sameChannelConsent(now, previous ? previous.consent[channel] : UNKNOWN_CONSENT)) continue;
    out.push({
      organizationId: next.organizationId,
      customerId: next.id,
      channel,
      version: next.version,
      recordedAt: next.updatedAt,
      state: now.state,
      at: now.at,
      source: now.source,
      by: now.by,
    });
  }
  return out;
}

/**
 * Orders a customer's history: by version, then channel in `CONSENT_CHANNELS` order.
 * @returns Negative, zero or positive, like any comparator.
 */
export function compareConsentEntries(a: ConsentHistoryEntry, b: ConsentHistoryEntry): number {
  return a.version - b.version || CONSENT_CHANNELS.indexOf(a.channel) - CONSENT_CHANNELS.indexOf(b.channel);
}

/**
 * Refuses a tombstone of another organization or without a hash.
 * @throws `invalid_argument` naming `erasure.tombstone`.
 */
export function checkTombstone(organizationId: string, tombstone: ErasureTombstone): void {
  if (tombstone?.organizationId !== organizationId) {
    throw new InvalidArgumentError('erasure.tombstone.organizationId', 'expected the organization erasing');
  }
  if (typeof tombstone.emailHash !== 'string' || !/^[0-9a-f]{64}$/.test(tombstone.emailHash)) {
    throw new InvalidArgumentError('erasure.tombstone.emailHash', 'expected a hex SHA-256');
  }
  if (!Number.isSafeInteger(tombstone.erasedAt) || tombstone.erasedAt < 0) {
    throw new InvalidArgumentError('erasure.tombstone.erasedAt', 'expected epoch milliseconds');
  }
}
