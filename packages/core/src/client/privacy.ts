import { ErasedCustomerError, isCustomerError, NotFoundError } from '../errors/customer-error';
import type { Customer } from '../model/customer-schema';
import { normalizeEmail } from '../model/normalize';
import type { CampaignRecord } from '../store/campaign-store';
import type { ConsentHistoryEntry, ErasureTombstone } from '../store/consent-store';
import { MAX_PAGE_SIZE, type StorageAdapter } from '../store/storage-adapter';
import { hashErasedEmail } from './erasure-hash';

/** Everything the SDK stores about one customer, as `client.exportCustomerData` returns it. */
export interface CustomerDataExport {
  /** What this is, for whoever reads the file later. */
  readonly format: 'donutauto.customer-data.v1';
  /** When the export was made, epoch ms. */
  readonly exportedAt: number;
  /** The customer as stored. */
  readonly customer: Customer;
  /** Every change of their consent, oldest first. */
  readonly consentHistory: ConsentHistoryEntry[];
  /** Their campaign records (content, status, errors), oldest first. */
  readonly campaigns: CampaignRecord[];
}

/** What the privacy methods need from the client (internal). */
export interface PrivacyContext {
  readonly adapter: StorageAdapter;
  readonly organizationId: string;
  readonly now: () => number;
}

/** Erasures retried when the customer changed between the read and the erasure. */
const ERASE_ATTEMPTS = 5;

/**
 * Gathers everything stored about one customer.
 * @param context - Adapter, tenant, clock.
 * @param id - The customer.
 * @returns The export (plain JSON data).
 * @throws `not_found` when absent or in another organization.
 */
export async function exportCustomerDataIn(context: PrivacyContext, id: string): Promise<CustomerDataExport> {
  const { adapter, organizationId } = context;
  const customer = await adapter.get(organizationId, id);
  if (!customer) throw new NotFoundError(id);
  const [consentHistory, campaigns] = await Promise.all([
    adapter.listConsentHistory(organizationId, id),
    campaignsOf(adapter, organizationId, id),
  ]);
  return {
    format: 'donutauto.customer-data.v1',
    exportedAt: context.now(),
    customer,
    consentHistory,
    campaigns,
  };
}

async function campaignsOf(adapter: StorageAdapter, organizationId: string, customerId: string) {
  const out: CampaignRecord[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await adapter.listCampaigns(organizationId, {
      numItems: MAX_PAGE_SIZE,
      cursor,
      filter: { customerId },
      sort: 'oldest',
    });
    out.push(...page.page);
    if (page.isDone) return out;
    cursor = page.continueCursor;
  }
}

/**
 * Erases a customer: reads them, hashes their email, and has the adapter delete the customer, their
 * campaign records and consent history and store the tombstone in one atomic write, conditional on
 * the version read (a concurrent edit of the email makes it read again).
 * @param context - Adapter, tenant, clock.
 * @param id - The customer.
 * @returns The tombstone left behind.
 * @throws `not_found` when absent or in another organization.
 */
export async function eraseCustomerIn(context: PrivacyContext, id: string): Promise<ErasureTombstone> {
  const { adapter, organizationId } = context;
  for (let attempt = 1; ; attempt++) {
    const customer = await adapter.get(organizationId, id);
    if (!customer) throw new NotFoundError(id);
    const tombstone: ErasureTombstone = {
      organizationId,
      emailHash: hashErasedEmail(organizationId, customer.email),
      erasedAt: context.now(),
    };
    try {
      const erased = await adapter.eraseCustomer(organizationId, id, {
        tombstone,
        expectedVersion: customer.version,
      });
      if (!erased) throw new NotFoundError(id);
      return tombstone;
    } catch (error) {
      if (!isCustomerError(error, 'version_conflict') || attempt >= ERASE_ATTEMPTS) throw error;
    }
  }
}

/**
 * A lookup of erased customers among normalized emails, for imports: hashes only when the
 * organization has erased anyone.
 * @param context - Adapter and tenant.
 * @returns The lookup `executeImport` takes as `findErased`.
 */
export function erasedLookup(
  context: PrivacyContext,
): (emails: readonly string[]) => Promise<ReadonlySet<string>> {
  const { adapter, organizationId } = context;
  let any: Promise<boolean> | undefined;
  return async (emails) => {
    // Asked once per import (the lookup is made per import): most organizations never erase anyone.
    any ??= adapter.hasErasures(organizationId);
    if (!(await any) || emails.length === 0) return new Set();
    const byHash = new Map(emails.map((email) => [hashErasedEmail(organizationId, email), email]));
    const found = await adapter.findErasures(organizationId, [...byHash.keys()]);
    return new Set(found.flatMap((t) => byHash.get(t.emailHash) ?? []));
  };
}

/**
 * Refuses to add an erased customer again without `reconsent`.
 * @throws `customer_erased`.
 */
export async function checkNotErased(context: PrivacyContext, email: string): Promise<void> {
  const { adapter, organizationId } = context;
  if (!(await adapter.hasErasures(organizationId))) return;
  const found = await adapter.findErasures(organizationId, [hashErasedEmail(organizationId, email)]);
  if (found.length > 0) throw new ErasedCustomerError(normalizeEmail(email));
}
