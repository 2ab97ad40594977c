import type { Customer } from '../model/customer-schema';
import { checkTombstone, compareConsentEntries, consentHistoryOf } from './consent-records';
import type { ConsentHistoryEntry, ErasureTombstone } from './consent-store';

/** The memory adapter's consent history and tombstones, written by its customer writes. */
export interface MemoryConsentState {
  /** Appends the history of customer writes (`previous` undefined for inserts). */
  record(
    changes: readonly { readonly previous: Pick<Customer, 'consent'> | undefined; readonly next: Customer }[],
  ): void;
  /** A customer's history, ordered. */
  history(organizationId: string, customerId: string): ConsentHistoryEntry[];
  /** Drops a customer's history and stores a tombstone (checked first: throws before any change). */
  erase(organizationId: string, customerId: string, tombstone: ErasureTombstone): void;
  /** Checks a tombstone without storing it. */
  check(organizationId: string, tombstone: ErasureTombstone): void;
  /** The tombstones of these hashes. */
  findErasures(organizationId: string, emailHashes: readonly string[]): ErasureTombstone[];
  /** Whether the organization has a tombstone. */
  hasErasures(organizationId: string): boolean;
}

/**
 * Creates the memory adapter's consent state: history per organization and customer, tombstones
 * per organization and hash. Entries are frozen copies, handed out as copies.
 * @returns The state.
 */
export function createMemoryConsentState(): MemoryConsentState {
  const histories = new Map<string, Map<string, ConsentHistoryEntry[]>>();
  const tombstones = new Map<string, Map<string, ErasureTombstone>>();
  return {
    record(changes) {
      for (const { previous, next } of changes) {
        const entries = consentHistoryOf(previous, next);
        if (entries.length === 0) continue;
        let org = histories.get(next.organizationId);
        if (!org) {
          org = new Map();
          histories.set(next.organizationId, org);
        }
        const list = org.get(next.id);
        if (list) list.push(...entries);
        else org.set(next.id, entries);
      }
    },
    history(organizationId, customerId) {
      const list = histories.get(organizationId)?.get(customerId) ?? [];
      return list.map((e) => ({ ...e })).sort(compareConsentEntries);
    },
    check: checkTombstone,
    erase(organizationId, customerId, tombstone) {
      checkTombstone(organizationId, tombstone);
      histories.get(organizationId)?.delete(customerId);
      let org = tombstones.get(organizationId);
      if (!org) {
        org = new Map();
        tombstones.set(organizationId, org);
      }
      org.set(tombstone.emailHash, { ...tombstone });
    },
    findErasures(organizationId, emailHashes) {
      const org = tombstones.get(organizationId);
      if (!org) return [];
      const out: ErasureTombstone[] = [];
      for (const hash of new Set(emailHashes)) {
        const found = org.get(hash);
        if (found) out.push({ ...found });
      }
      return out;
    },
    hasErasures(organizationId) {
      return (tombstones.get(organizationId)?.size ?? 0) > 0;
    },
  };
}
