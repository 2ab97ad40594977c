import type { ChannelConsent, ConsentChannel } from '../model/consent';

/**
 * One change of one channel's consent, as the store keeps it: what the channel became, for which
 * customer, and which write of the customer made it. A customer's history is ordered by
 * (`version`, channel in `CONSENT_CHANNELS` order).
 */
export interface ConsentHistoryEntry extends ChannelConsent {
  /** The tenant. */
  readonly organizationId: string;
  /** The customer. */
  readonly customerId: string;
  /** The channel that changed. */
  readonly channel: ConsentChannel;
  /** The customer's `version` the write produced (1 for an insert). */
  readonly version: number;
  /** When the write was stored (the customer's `updatedAt`), epoch ms. */
  readonly recordedAt: number;
}

/**
 * What is left of an erased customer: a hash of the email and when it was erased, so a later
 * import can recognise the address without keeping it.
 */
export interface ErasureTombstone {
  /** The tenant. */
  readonly organizationId: string;
  /** `hashErasedEmail(organizationId, email)`: lower-case hex SHA-256. */
  readonly emailHash: string;
  /** When the customer was erased, epoch ms. */
  readonly erasedAt: number;
}

/** Arguments of {@link ConsentStore.eraseCustomer}. */
export interface CustomerErasure {
  /** The tombstone to leave (an existing one for the same hash is replaced). */
  readonly tombstone: ErasureTombstone;
  /** Erase only while the stored version equals this one (the version whose email was hashed). */
  readonly expectedVersion: number;
}

/**
 * The consent and privacy part of the storage contract (`StorageAdapter` extends it). Every method
 * takes the organization id and never reaches another organization's rows.
 *
 * Consent history is written by the customer writes themselves, in the same atomic write:
 * `insertMany` adds an entry per channel of each new customer whose consent is not the untouched
 * `unknown` (state `unknown`, no time, source or who); `update` and `updateMany` add an entry per
 * channel whose stored consent (state, time, source or who) the write changes, with the version the
 * write produced. Deleting a customer (`delete`) keeps the history; erasing removes it.
 */
export interface ConsentStore {
  /**
   * Reads one customer's consent history.
   * @param organizationId - The tenant.
   * @param customerId - The customer (present, deleted or unknown alike).
   * @returns Every entry, ordered by version, then channel (`email`, `sms`, `socialDm`).
   */
  listConsentHistory(organizationId: string, customerId: string): Promise<ConsentHistoryEntry[]>;

  /**
   * Erases a customer in one atomic write: deletes the customer, every campaign record of theirs
   * and their consent history, and stores the tombstone. Announces a `delete` change event.
   * @param organizationId - The tenant.
   * @param id - The customer.
   * @param erasure - The tombstone and the version it was computed from.
   * @returns `false` when the customer is absent in this organization (nothing is written).
   * @throws `invalid_argument` for a tombstone of another organization; `version_conflict` when the
   * stored version differs (nothing is written).
   */
  eraseCustomer(organizationId: string, id: string, erasure: CustomerErasure): Promise<boolean>;

  /**
   * Reads the tombstones of some email hashes.
   * @param organizationId - The tenant.
   * @param emailHashes - Hashes from `hashErasedEmail`.
   * @returns The tombstones found, in no particular order.
   */
  findErasures(organizationId: string, emailHashes: readonly string[]): Promise<ErasureTombstone[]>;

  /**
   * Tells whether the organization has erased anyone (an import that finds none skips hashing).
   * @param organizationId - The tenant.
   * @returns `true` when at least one tombstone is stored.
   */
  hasErasures(organizationId: string): Promise<boolean>;
}
