import type { CampaignRecord, CampaignRunRecord } from '@donutauto/core';
import type { DBSchema, IDBPDatabase } from 'idb';

/** The object store of campaign records. */
export const CAMPAIGNS = 'campaigns';
/** The object store of campaign runs. */
export const CAMPAIGN_RUNS = 'campaignRuns';

/**
 * The campaign stores as idb's typed schema (part of the database's schema). Records are stored as
 * the core hands them over; every index leads with the organization and ends in `createdAt, id`
 * (except the unique `byKey`), so each listing is one keyset range.
 */
export interface CampaignsDbStores extends DBSchema {
  campaigns: {
    key: [organizationId: string, id: string];
    value: CampaignRecord;
    indexes: {
      byCreated: [string, number, string];
      byRun: [string, string, number, string];
      byRunStatus: [string, string, string, number, string];
      byCustomer: [string, string, number, string];
      byKey: [string, string, string, string, string];
    };
  };
  campaignRuns: {
    key: [organizationId: string, id: string];
    value: CampaignRunRecord;
    indexes: { byCreated: [string, number, string] };
  };
}

/**
 * Schema step 5: creates the campaign stores and their indexes (a database left half-made by an
 * older build converges: each store and index is created only when missing).
 * @param db - The database being upgraded, inside its version-change transaction.
 */
export function createCampaignStores(db: IDBPDatabase<CampaignsDbStores>): void {
  if (!db.objectStoreNames.contains(CAMPAIGNS)) {
    const store = db.createObjectStore(CAMPAIGNS, { keyPath: ['organizationId', 'id'] });
    store.createIndex('byCreated', ['organizationId', 'createdAt', 'id']);
    store.createIndex('byRun', ['organizationId', 'runId', 'createdAt', 'id']);
    store.createIndex('byRunStatus', ['organizationId', 'runId', 'status', 'createdAt', 'id']);
    store.createIndex('byCustomer', ['organizationId', 'customerId', 'createdAt', 'id']);
    store.createIndex('byKey', ['organizationId', 'runId', 'customerId', 'contentType', 'platform'], {
      unique: true,
    });
  }
  if (!db.objectStoreNames.contains(CAMPAIGN_RUNS)) {
    const runs = db.createObjectStore(CAMPAIGN_RUNS, { keyPath: ['organizationId', 'id'] });
    runs.createIndex('byCreated', ['organizationId', 'createdAt', 'id']);
  }
}
