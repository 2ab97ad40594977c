import { createIndexedDbAdapter, SCHEMA_VERSION } from '@donutauto/adapter-indexeddb';
import { CUSTOMER_SORTS, type CustomerFilter, type CustomerSort, createMemoryAdapter } from '@donutauto/core';
import { normalizeFilter } from '@donutauto/core/adapter';
import { campaignRecordFixture, campaignRunFixture } from '@donutauto/testing';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { customer, LEGACY_LAYOUTS, rejectionOf } from './customers.fixture';

const rows = [
  customer('org', 1, { tags: ['vip'], preferences: ['glazed'], dob: '1990-03-14', lastName: 'Müller' }),
  customer('org', 2, { tags: ['VIP', 'new'], dob: '--03-01', customFields: { tier: 'gold' } }),
  customer('org', 3, { preferences: ['glazed', 'vegan'], email: 'Three@Example.com' }),
  customer('org', 4, { dob: '1985-11-02' }),
  customer('other', 1, { tags: ['vip'] }),
];

const filters: CustomerFilter[] = [
  {},
  { tags: { all: ['vip'] } },
  { preferences: { any: ['glazed'] } },
  { birthdayMonth: 3 },
  { tags: { all: ['vip'] }, birthdayMonth: 3, createdAt: { gte: 1_002 } },
  { customFields: { tier: 'gold' } },
  { text: 'muller' },
  { birthdayWithinDays: { days: 20, from: '2025-02-25' } },
];

/** Every earlier release's layout: how to open it and how it stored customers. */
const earlier = ([1, 2, 3] as const).map((version) => ({ version, ...LEGACY_LAYOUTS[version] }));

/** Reads the `byFilter` entries of `org` and `kind` straight from the database. */
function filterEntries(factory: IDBFactory, name: string, org: string, kind: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const index = db.transaction('customers').objectStore('customers').index('byFilter');
      const count = index.count(IDBKeyRange.bound([org, kind], [org, kind, []]));
      count.onsuccess = () => {
        db.close();
        resolve(count.result);
      };
      count.onerror = () => reject(count.error);
    };
  });
}

describe('schema upgrades', () => {
  it.each(earlier)(
    'opens a version $version database and migrates it to the current version, keeping every customer',
    async ({ version, open, put }) => {
      expect(SCHEMA_VERSION).toBe(7);
      const factory = new IDBFactory();
      const old = await open(factory, 'legacy');
      await put(old, rows);
      old.close();
      if (version === 2) expect(await filterEntries(factory, 'legacy', 'org', 'p')).toBe(3);

      const adapter = createIndexedDbAdapter({ name: 'legacy', indexedDB: factory, IDBKeyRange });
      const reference = createMemoryAdapter();
      await reference.insertMany('org', rows.slice(0, 4));
      await reference.insertMany('other', rows.slice(4));
      for (const row of rows) expect(await adapter.get(row.organizationId, row.id)).toEqual(row);
      // The new filter indexes were back-filled: every filter selects what the reference selects.
      for (const raw of filters) {
        const filter = normalizeFilter(raw);
        for (const sort of CUSTOMER_SORTS as readonly CustomerSort[]) {
          const query = { numItems: 100, cursor: null, filter, sort };
          const expected = (await reference.list('org', query)).page.map((c) => c.id);
          expect((await adapter.list('org', query)).page.map((c) => c.id)).toEqual(expected);
          expect(await adapter.count('org', filter)).toBe(expected.length);
        }
      }
      // Version 1's unique email index still holds.
      const error = await rejectionOf(
        adapter.insertMany('org', [customer('org', 9, { email: 'three@example.com' })]),
      );
      expect(error).toMatchObject({ code: 'duplicate_email', index: 0, existingId: rows[2]?.id });
      // Version 5 added the campaign stores: runs and campaigns work after the upgrade.
      const run = campaignRunFixture('org', 5_000, 'run-1');
      await adapter.insertCampaignRun('org', run);
      const campaign = campaignRecordFixture('org', run.id, { customerId: rows[0]!.id });
      expect(await adapter.insertCampaigns('org', [campaign])).toBe(1);
      expect((await adapter.getCampaignRun('org', 'run-1'))?.counts.queued).toBe(1);
      // Version 6 gave every stored customer consent (all unknown) and added the consent stores.
      expect(await adapter.count('org', normalizeFilter({ consent: { email: 'unknown' } }))).toBe(4);
      await adapter.update(
        'org',
        rows[0]!.id,
        { consent: { email: { state: 'subscribed', at: 1, source: 'form', by: null } } },
        { updatedAt: 6_000 },
      );
      expect(await adapter.listConsentHistory('org', rows[0]!.id)).toHaveLength(1);
      // Version 7 numbered the stored customers: the change feed holds each once, new writes after them.
      const feed = await adapter.changesSince('org', null, 100);
      expect(feed.changes.map((c) => c.type === 'upsert' && c.customer.id).sort()).toEqual(
        rows
          .slice(0, 4)
          .map((r) => r.id)
          .sort(),
      );
      const other = await adapter.changesSince('other', null, 100);
      expect(other.changes).toEqual([{ type: 'upsert', customer: rows[4] }]);
      await adapter.delete('other', rows[4]!.id);
      expect((await adapter.changesSince('other', other.cursor, 100)).changes).toEqual([
        { type: 'delete', id: rows[4]!.id },
      ]);
      expect((await adapter.changesSince('org', feed.cursor, 100)).changes).toEqual([]);
      await adapter.close?.();

      const databases = await factory.databases();
      expect(databases).toEqual([{ name: 'legacy', version: SCHEMA_VERSION }]);
      // Version 4 keeps folded tags, birthday keys and search words: no preference or month entries.
      expect(await filterEntries(factory, 'legacy', 'org', 'p')).toBe(0);
      expect(await filterEntries(factory, 'legacy', 'org', 'm')).toBe(0);
      expect(await filterEntries(factory, 'legacy', 'org', 't')).toBe(3);
      expect(await filterEntries(factory, 'legacy', 'org', 'b')).toBe(3);
      // First name, last name and the email's three words of each of the four customers.
      expect(await filterEntries(factory, 'legacy', 'org', 'w')).toBe(20);
    },
  );

  it(`creates a new database directly at version ${SCHEMA_VERSION} with every index`, async () => {
    const factory = new IDBFactory();
    const adapter = createIndexedDbAdapter({ name: 'fresh', indexedDB: factory, IDBKeyRange });
    await adapter.insertMany('org', rows.slice(0, 4));
    await adapter.close?.();
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open('fresh');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    expect(db.version).toBe(SCHEMA_VERSION);
    const store = db.transaction('customers').objectStore('customers');
    expect(store.keyPath).toEqual(['organizationId', 'id']);
    expect([...store.indexNames].sort()).toEqual([
      'byChange',
      'byCreated',
      'byEmail',
      'byFilter',
      'byFirstName',
      'byLastName',
      'byUpdated',
    ]);
    expect(store.index('byEmail').unique).toBe(true);
    expect(store.index('byFilter').multiEntry).toBe(true);
    expect(store.index('byLastName').keyPath).toEqual([
      'organizationId',
      'lastNameKey',
      'firstNameKey',
      'id',
    ]);
    const tombstones = db.transaction('tombstones').objectStore('tombstones');
    expect(tombstones.index('byChange').keyPath).toEqual(['organizationId', 'changeSeq', 'id']);
    expect(db.transaction('outbox').objectStore('outbox').keyPath).toEqual(['organizationId', 'seq']);
    expect(db.transaction('syncMeta').objectStore('syncMeta').keyPath).toEqual(['organizationId', 'name']);
    const segments = db.transaction('segments').objectStore('segments');
    expect(segments.keyPath).toEqual(['organizationId', 'id']);
    expect([...segments.indexNames]).toEqual(['byCreated']);
    const campaigns = db.transaction('campaigns').objectStore('campaigns');
    expect(campaigns.keyPath).toEqual(['organizationId', 'id']);
    expect([...campaigns.indexNames].sort()).toEqual([
      'byCreated',
      'byCustomer',
      'byKey',
      'byRun',
      'byRunStatus',
    ]);
    expect(campaigns.index('byKey').unique).toBe(true);
    // Every campaign index leads with the organization.
    for (const name of campaigns.indexNames) expect(campaigns.index(name).keyPath[0]).toBe('organizationId');
    const runs = db.transaction('campaignRuns').objectStore('campaignRuns');
    expect([...runs.indexNames]).toEqual(['byCreated']);
    const history = db.transaction('consentHistory').objectStore('consentHistory');
    expect(history.keyPath).toEqual(['organizationId', 'customerId', 'version', 'channel']);
    const erasures = db.transaction('erasures').objectStore('erasures');
    expect(erasures.keyPath).toEqual(['organizationId', 'emailHash']);
    db.close();
  });
});
