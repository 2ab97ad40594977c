/**
 * Conformance checks of the `ConsentStore` part of the storage contract: consent history written by
 * customer writes, erasure with a tombstone, and the consent filter. Registered by
 * `runAdapterConformance`, so every adapter runs them.
 */
import type { ChannelConsent, ConsentHistoryEntry } from '@donutauto/core';
import { buildCustomer, normalizeFilter, type StorageAdapter } from '@donutauto/core/adapter';
import { expect, it } from 'vitest';
import { campaignRecordFixture, campaignRunFixture } from './campaign-fixtures';
import { expectCode, freshOrg, listAll, make, person, testId } from './conformance-helpers';

/** Options of {@link registerConsentConformance}. */
export interface ConsentConformanceOptions {
  /** Per-test timeout in ms. */
  readonly timeout: number;
}

const given = (state: ChannelConsent['state'], at: number, by: string | null = null): ChannelConsent => ({
  state,
  at,
  source: 'form',
  by,
});

/** A 64-hex-digit hash for tombstones (the suite does not depend on how the client hashes). */
const hash = (n: number) => n.toString(16).padStart(64, '0');

/** The entries' essentials, in order. */
const brief = (entries: readonly ConsentHistoryEntry[]) =>
  entries.map((e) => [e.version, e.channel, e.state, e.at, e.source, e.by, e.recordedAt]);

/**
 * Registers the consent checks (inside the suite's `describe`).
 * @param getAdapter - The adapter under test.
 * @param options - Timeout.
 */
export function registerConsentConformance(
  getAdapter: () => StorageAdapter,
  options: ConsentConformanceOptions,
): void {
  const { timeout } = options;

  it('stores consent as given and records the channels an insert sets, in channel order', {
    timeout,
  }, async () => {
    const adapter = getAdapter();
    const org = freshOrg('consent-insert');
    const ana = make(
      org,
      person(1, { consent: { sms: given('unsubscribed', 500), email: given('subscribed', 400, 'Zoë') } }),
      1_000,
    );
    const bo = make(org, person(2), 1_000);
    await adapter.insertMany(org, [ana, bo]);
    expect(await adapter.get(org, ana.id)).toEqual(ana);
    expect((await adapter.get(org, bo.id))?.consent.email.state).toBe('unknown');
    expect(brief(await adapter.listConsentHistory(org, ana.id))).toEqual([
      [1, 'email', 'subscribed', 400, 'form', 'Zoë', 1_000],
      [1, 'sms', 'unsubscribed', 500, 'form', null, 1_000],
    ]);
    expect(await adapter.listConsentHistory(org, bo.id)).toEqual([]);
    const [entry] = await adapter.listConsentHistory(org, ana.id);
    expect(entry).toMatchObject({ organizationId: org, customerId: ana.id });
    // Another organization sees no history of this customer id.
    expect(await adapter.listConsentHistory(freshOrg('consent-other'), ana.id)).toEqual([]);
  });

  it('update and updateMany change only the named channels and record only what changed', {
    timeout,
  }, async () => {
    const adapter = getAdapter();
    const org = freshOrg('consent-update');
    const ana = make(org, person(1, { consent: { email: given('subscribed', 400) } }), 1_000);
    const bo = make(org, person(2), 1_000);
    await adapter.insertMany(org, [ana, bo]);
    const updated = await adapter.update(
      org,
      ana.id,
      { consent: { sms: given('subscribed', 1_500) } },
      { updatedAt: 2_000, expectedVersion: 1 },
    );
    expect(updated.consent).toEqual({ ...ana.consent, sms: given('subscribed', 1_500) });
    // Same value again, and a patch of another field: nothing to record.
    await adapter.update(org, ana.id, { consent: { sms: given('subscribed', 1_500) } }, { updatedAt: 3_000 });
    await adapter.update(org, ana.id, { notes: 'Likes glazed' }, { updatedAt: 4_000 });
    const [a, b] = await adapter.updateMany(
      org,
      [
        {
          id: ana.id,
          patch: { consent: { email: given('unsubscribed', 4_500), sms: given('subscribed', 1_500) } },
        },
        { id: bo.id, patch: { consent: { socialDm: given('subscribed', 4_600) } }, expectedVersion: 1 },
      ],
      { updatedAt: 5_000 },
    );
    expect(a?.consent.email.state).toBe('unsubscribed');
    expect(a?.consent.sms.state).toBe('subscribed');
    expect(b?.consent).toEqual({ ...bo.consent, socialDm: given('subscribed', 4_600) });
    expect(brief(await adapter.listConsentHistory(org, ana.id))).toEqual([
      [1, 'email', 'subscribed', 400, 'form', null, 1_000],
      [2, 'sms', 'subscribed', 1_500, 'form', null, 2_000],
      [5, 'email', 'unsubscribed', 4_500, 'form', null, 5_000],
    ]);
    expect(brief(await adapter.listConsentHistory(org, bo.id))).toEqual([
      [2, 'socialDm', 'subscribed', 4_600, 'form', null, 5_000],
    ]);
  });

  it('records nothing when a write is refused (version conflict, duplicate email)', { timeout }, async () => {
    const adapter = getAdapter();
    const org = freshOrg('consent-refused');
    const ana = make(org, person(1), 1_000);
    const bo = make(org, person(2), 1_000);
    await adapter.insertMany(org, [ana, bo]);
    await expectCode(
      adapter.update(
        org,
        ana.id,
        { consent: { email: given('subscribed', 1) } },
        { updatedAt: 2, expectedVersion: 7 },
      ),
      'version_conflict',
    );
    await expectCode(
      adapter.updateMany(
        org,
        [
          { id: ana.id, patch: { consent: { email: given('subscribed', 1) } } },
          { id: bo.id, patch: { email: ana.email } },
        ],
        { updatedAt: 3 },
      ),
      'duplicate_email',
    );
    expect(await adapter.listConsentHistory(org, ana.id)).toEqual([]);
    expect((await adapter.get(org, ana.id))?.consent).toEqual(ana.consent);
  });

  it('keeps a deleted customer’s history', { timeout }, async () => {
    const adapter = getAdapter();
    const org = freshOrg('consent-delete');
    const ana = make(org, person(1, { consent: { email: given('subscribed', 400) } }), 1_000);
    await adapter.insertMany(org, [ana]);
    expect(await adapter.delete(org, ana.id)).toBe(true);
    expect(await adapter.listConsentHistory(org, ana.id)).toHaveLength(1);
  });

  it('erases a customer with their campaigns and history, leaving only the tombstone', {
    timeout,
  }, async () => {
    const adapter = getAdapter();
    const org = freshOrg('consent-erase');
    const other = freshOrg('consent-erase-other');
    const id = testId(1_000);
    const ana = buildCustomer(
      person(1, { consent: { email: given('subscribed', 400) } }),
      org,
      1_000,
      () => id,
    );
    const bo = make(org, person(2, { consent: { email: given('subscribed', 400) } }), 1_000);
    const twin = buildCustomer(
      person(1, { consent: { email: given('subscribed', 400) } }),
      other,
      1_000,
      () => id,
    );
    await adapter.insertMany(org, [ana, bo]);
    await adapter.insertMany(other, [twin]);
    const run = campaignRunFixture(org);
    await adapter.insertCampaignRun(org, run);
    const mine = campaignRecordFixture(org, run.id, {
      customerId: ana.id,
      status: 'completed',
      content: { text: 'Hi Ana' },
    });
    const theirs = campaignRecordFixture(org, run.id, { customerId: bo.id });
    await adapter.insertCampaigns(org, [mine, theirs]);
    const otherRun = campaignRunFixture(other);
    await adapter.insertCampaignRun(other, otherRun);
    const twinRecord = campaignRecordFixture(other, otherRun.id, { customerId: id });
    await adapter.insertCampaigns(other, [twinRecord]);

    const tombstone = { organizationId: org, emailHash: hash(1), erasedAt: 9_000 };
    expect(await adapter.hasErasures(org)).toBe(false);
    await expectCode(adapter.eraseCustomer(org, id, { tombstone, expectedVersion: 2 }), 'version_conflict');
    await expectCode(
      adapter.eraseCustomer(org, id, {
        tombstone: { ...tombstone, organizationId: other },
        expectedVersion: 1,
      }),
      'invalid_argument',
    );
    expect(await adapter.get(org, id)).toEqual(ana);
    expect(await adapter.hasErasures(org)).toBe(false);

    expect(await adapter.eraseCustomer(org, id, { tombstone, expectedVersion: 1 })).toBe(true);
    expect(await adapter.get(org, id)).toBeUndefined();
    expect(await adapter.getByEmails(org, ['person1@example.com'])).toEqual([]);
    expect(await adapter.listConsentHistory(org, id)).toEqual([]);
    const left = await adapter.listCampaigns(org, { numItems: 10, cursor: null, filter: {}, sort: 'oldest' });
    expect(left.page.map((r) => r.id)).toEqual([theirs.id]);
    expect((await adapter.getCampaignRun(org, run.id))?.counts.total).toBe(1);
    expect(await adapter.findErasures(org, [hash(1), hash(2)])).toEqual([tombstone]);
    expect(await adapter.hasErasures(org)).toBe(true);
    // The other organization's customer with the same id and email is untouched.
    expect(await adapter.get(other, id)).toEqual(twin);
    expect(await adapter.listConsentHistory(other, id)).toHaveLength(1);
    const otherLeft = await adapter.listCampaigns(other, {
      numItems: 10,
      cursor: null,
      filter: {},
      sort: 'oldest',
    });
    expect(otherLeft.page.map((r) => r.id)).toEqual([twinRecord.id]);
    expect(await adapter.findErasures(other, [hash(1)])).toEqual([]);
    expect(await adapter.hasErasures(other)).toBe(false);

    // Erasing an absent customer writes nothing; erasing the same email again replaces the tombstone.
    expect(
      await adapter.eraseCustomer(org, id, {
        tombstone: { ...tombstone, erasedAt: 9_500 },
        expectedVersion: 1,
      }),
    ).toBe(false);
    expect(await adapter.findErasures(org, [hash(1)])).toEqual([tombstone]);
    const again = buildCustomer(person(1), org, 10_000, () => testId(10_000));
    await adapter.insertMany(org, [again]);
    await adapter.eraseCustomer(org, again.id, {
      tombstone: { ...tombstone, erasedAt: 11_000 },
      expectedVersion: 1,
    });
    expect(await adapter.findErasures(org, [hash(1)])).toEqual([{ ...tombstone, erasedAt: 11_000 }]);
  });

  it('filters by consent per channel, a state or a list of states', { timeout }, async () => {
    const adapter = getAdapter();
    const org = freshOrg('consent-filter');
    const ana = make(
      org,
      person(1, { consent: { email: given('subscribed', 1), sms: given('unsubscribed', 1) } }),
      1_000,
    );
    const bo = make(org, person(2, { consent: { email: given('unsubscribed', 1) } }), 1_001);
    const cy = make(org, person(3), 1_002);
    await adapter.insertMany(org, [ana, bo, cy]);
    const ids = async (filter: Parameters<typeof normalizeFilter>[0]) =>
      (await listAll(adapter, org, 2, normalizeFilter(filter), 'oldest')).map((c) => c.id);
    expect(await ids({ consent: { email: 'subscribed' } })).toEqual([ana.id]);
    expect(await ids({ consent: { email: ['unknown', 'unsubscribed'] } })).toEqual([bo.id, cy.id]);
    expect(await ids({ consent: { email: 'subscribed', sms: 'unknown' } })).toEqual([]);
    expect(await ids({ consent: { sms: 'unknown' } })).toEqual([bo.id, cy.id]);
    expect(await adapter.count(org, normalizeFilter({ consent: { socialDm: 'unknown' } }))).toBe(3);
  });
}
