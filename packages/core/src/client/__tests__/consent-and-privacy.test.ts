import {
  createCustomerClient,
  createMemoryAdapter,
  hashErasedEmail,
  isCustomerError,
  templateCampaignGenerator,
} from '@donutauto/core';
import { describe, expect, it } from 'vitest';

/** A Shopify customer export (its real headers) with every consent combination. */
const SHOPIFY = [
  'Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address City,Phone,Accepts SMS Marketing,Tags,Note',
  '1001,Ana,Li,ana@example.com,yes,Leeds,+441130000001,no,vip,',
  '1002,Bo,Ng,bo@example.com,no,York,,yes,,',
  '1003,Cy,Ode,cy@example.com,,Hull,,,,',
  '1004,Di,Po,di@example.com,YES,Leeds,,maybe,,',
].join('\n');

function setUp(start = 1_700_000_000_000) {
  let clock = start;
  const client = createCustomerClient({
    adapter: createMemoryAdapter(),
    organizationId: 'org-privacy',
    now: () => clock,
  });
  return { client, tick: (ms = 1_000) => (clock += ms), now: () => clock };
}

async function byEmail(client: ReturnType<typeof setUp>['client']) {
  const { page } = await client.list({ numItems: 100, sort: 'oldest' });
  return new Map(page.map((c) => [c.email, c]));
}

describe('consent on customers', () => {
  it('records consent given through add, update and updateCustomerField, with time, source and history', async () => {
    const { client, tick, now } = setUp();
    const ana = await client.add({
      firstName: 'Ana',
      lastName: 'Li',
      email: 'ana@example.com',
      consent: { email: { state: 'subscribed', source: 'form', by: 'till-1' } },
    });
    expect(ana.consent.email).toEqual({ state: 'subscribed', at: now(), source: 'form', by: 'till-1' });
    expect(ana.consent.sms).toEqual({ state: 'unknown', at: null, source: null, by: null });
    tick();
    const updated = await client.updateCustomerField({
      id: ana.id,
      field: 'consent',
      value: { sms: 'unsubscribed' },
    });
    // Only the named channel changed; email kept its record.
    expect(updated.consent.email).toEqual(ana.consent.email);
    expect(updated.consent.sms).toEqual({ state: 'unsubscribed', at: now(), source: 'api', by: null });
    expect(updated.version).toBe(2);
    const history = await client.getConsentHistory(ana.id);
    expect(history.map((e) => [e.version, e.channel, e.state, e.source])).toEqual([
      [1, 'email', 'subscribed', 'form'],
      [2, 'sms', 'unsubscribed', 'api'],
    ]);
  });

  it('refuses system fields next to consent and bad consent values, writing nothing', async () => {
    const { client } = setUp();
    const ana = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    for (const patch of [
      { consent: { email: 'subscribed' }, organizationId: 'other' },
      { consent: { email: 'yes' } },
      { consent: { email: { state: 'subscribed', at: 'now' } } },
    ]) {
      const error = await client.update(ana.id, patch as never).catch((e: unknown) => e);
      expect(isCustomerError(error, 'forbidden_field') || isCustomerError(error, 'validation_failed')).toBe(
        true,
      );
    }
    expect(await client.get(ana.id)).toEqual(ana);
    expect(await client.getConsentHistory(ana.id)).toEqual([]);
  });

  it('saves two consent edits of one editor together (the queue merges channels)', async () => {
    const { client } = setUp();
    const ana = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    const editor = client.createEditor(ana.id, { delayMs: 0 });
    expect(editor.set('consent', { email: 'subscribed' })).toBeUndefined();
    expect(editor.set('consent', { sms: 'subscribed' })).toBeUndefined();
    await editor.dispose();
    const stored = await client.get(ana.id);
    expect([stored.consent.email.state, stored.consent.sms.state, stored.version]).toEqual([
      'subscribed',
      'subscribed',
      2,
    ]);
  });

  it('filters by consent in lists, counts and segments', async () => {
    const { client } = setUp();
    await client.importCsv(SHOPIFY);
    const segment = await client.createSegment({
      name: 'Email OK',
      filter: { consent: { email: 'subscribed' } },
    });
    expect(await client.count({ segmentId: segment.id })).toBe(2);
    expect(await client.count({ consent: { sms: ['subscribed', 'unsubscribed'] } })).toBe(2);
    const error = await client.count({ consent: { email: 'yes' } } as never).catch((e: unknown) => e);
    expect(isCustomerError(error, 'invalid_argument') && error.argument).toBe('filter.consent.email');
  });
});

describe('importCsv and consent', () => {
  it('maps a Shopify export with mixed consent, recording the source as import', async () => {
    const { client, now } = setUp();
    const report = await client.importCsv(SHOPIFY, { consentRecordedBy: 'owner' });
    expect(report.addedCount).toBe(4);
    const mapped = Object.fromEntries(report.mapping.columns.map((c) => [c.column, c.target]));
    expect(mapped['Accepts Email Marketing']).toBe('consent.email');
    expect(mapped['Accepts SMS Marketing']).toBe('consent.sms');
    // An unknown value is left out with a warning naming its cell; the customer is imported.
    expect(report.issues.filter((i) => i.row > 1)).toEqual([
      expect.objectContaining({
        row: 5,
        column: 'Accepts SMS Marketing',
        code: 'invalid_value',
        level: 'warning',
      }),
    ]);
    const customers = await byEmail(client);
    const states = (email: string) => {
      const c = customers.get(email)!.consent;
      return [c.email.state, c.sms.state];
    };
    expect(states('ana@example.com')).toEqual(['subscribed', 'unsubscribed']);
    expect(states('bo@example.com')).toEqual(['unsubscribed', 'subscribed']);
    expect(states('cy@example.com')).toEqual(['unknown', 'unknown']);
    expect(states('di@example.com')).toEqual(['subscribed', 'unknown']);
    expect(customers.get('ana@example.com')!.consent.email).toEqual({
      state: 'subscribed',
      at: now(),
      source: 'import',
      by: 'owner',
    });
  });

  it('maps Square and Mailchimp consent columns', async () => {
    const { client } = setUp();
    await client.importCsv(
      [
        'First Name,Last Name,Email Address,Email Subscription Status',
        'Ana,Li,ana@example.com,Subscribed',
        'Bo,Ng,bo@example.com,Unsubscribed',
      ].join('\n'),
    );
    // Mailchimp's unsubscribed-members export: the opt-in and unsubscribe times.
    await client.importCsv(
      [
        'Email Address,First Name,Last Name,OPTIN_TIME,UNSUB_TIME',
        'cy@example.com,Cy,Ode,2023-01-05 10:00:00,2024-03-21 14:22:01',
        'di@example.com,Di,Po,2023-01-05 10:00:00,',
      ].join('\n'),
    );
    const customers = await byEmail(client);
    expect(customers.get('ana@example.com')!.consent.email.state).toBe('subscribed');
    expect(customers.get('bo@example.com')!.consent.email.state).toBe('unsubscribed');
    expect(customers.get('cy@example.com')!.consent.email).toMatchObject({
      state: 'unsubscribed',
      at: Date.UTC(2024, 2, 21, 14, 22, 1),
      source: 'import',
    });
    expect(customers.get('di@example.com')!.consent.email).toMatchObject({
      state: 'subscribed',
      at: Date.UTC(2023, 0, 5, 10),
    });
  });

  it('never turns unsubscribed into subscribed unless allowResubscribe', async () => {
    const { client, tick } = setUp();
    await client.importCsv(SHOPIFY);
    tick();
    const flipped = SHOPIFY.replace('1002,Bo,Ng,bo@example.com,no', '1002,Bo,Ng,bo@example.com,yes');
    const first = await client.importCsv(flipped, { onDuplicate: 'update' });
    expect(first.issues).toContainEqual(
      expect.objectContaining({ row: 3, code: 'resubscribe_refused', level: 'warning' }),
    );
    expect((await byEmail(client)).get('bo@example.com')!.consent.email.state).toBe('unsubscribed');
    // Re-running the same file changes nothing: the repeated states keep their records.
    expect((await client.importCsv(SHOPIFY, { onDuplicate: 'update' })).updatedCount).toBe(0);
    const allowed = await client.importCsv(flipped, { onDuplicate: 'update', allowResubscribe: true });
    expect(allowed.updatedCount).toBe(1);
    const bo = (await byEmail(client)).get('bo@example.com')!;
    expect(bo.consent.email.state).toBe('subscribed');
    expect((await client.getConsentHistory(bo.id)).map((e) => [e.channel, e.state])).toEqual([
      ['email', 'unsubscribed'],
      ['sms', 'subscribed'],
      ['email', 'subscribed'],
    ]);
  });
});

describe('data-subject rights', () => {
  it('exports everything stored about a customer as JSON', async () => {
    const { client } = setUp();
    await client.importCsv(SHOPIFY);
    const ana = (await byEmail(client)).get('ana@example.com')!;
    await client.generateCampaigns(
      {
        target: { customerIds: [ana.id] },
        title: 'Glazed week',
        contentTypes: ['fact'],
        platforms: ['email'],
      },
      { generator: templateCampaignGenerator({ brandName: 'Donut Corner' }) },
    );
    const data = await client.exportCustomerData(ana.id);
    expect(data.customer).toEqual(ana);
    expect(data.consentHistory.map((e) => e.channel)).toEqual(['email', 'sms']);
    expect(data.campaigns).toHaveLength(1);
    expect(data.campaigns[0]).toMatchObject({ customerId: ana.id, status: 'completed' });
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });

  it('erases a customer, and a re-import of the same file does not add them back by default', async () => {
    const { client, now } = setUp();
    await client.importCsv(SHOPIFY);
    const ana = (await byEmail(client)).get('ana@example.com')!;
    await client.generateCampaigns(
      { target: { customerIds: [ana.id] }, title: 'T', contentTypes: ['fact'], platforms: ['email'] },
      { generator: templateCampaignGenerator({ brandName: 'Donut Corner' }) },
    );
    const tombstone = await client.eraseCustomer(ana.id);
    expect(tombstone).toEqual({
      organizationId: 'org-privacy',
      emailHash: hashErasedEmail('org-privacy', 'ANA@example.com '),
      erasedAt: now(),
    });
    expect(isCustomerError(await client.get(ana.id).catch((e: unknown) => e), 'not_found')).toBe(true);
    expect(await client.getConsentHistory(ana.id)).toEqual([]);
    expect((await client.listCampaigns({ customerId: ana.id })).page).toEqual([]);

    const again = await client.importCsv(SHOPIFY);
    expect([again.addedCount, again.skippedCount]).toEqual([0, 4]);
    expect(again.issues).toContainEqual(
      expect.objectContaining({ row: 2, code: 'erased_customer', level: 'warning' }),
    );
    expect((await byEmail(client)).has('ana@example.com')).toBe(false);
    const bulk = await client.bulkAddCustomers([
      { firstName: 'Ana', lastName: 'Li', email: 'Ana@Example.com' },
    ]);
    expect(bulk.addedCount).toBe(0);
    const added = await client
      .add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' })
      .catch((e: unknown) => e);
    expect(isCustomerError(added, 'customer_erased')).toBe(true);

    // With an explicit re-consent she comes back, as a new customer.
    const back = await client.importCsv(SHOPIFY, { reconsent: true });
    expect(back.addedCount).toBe(1);
    const returned = (await byEmail(client)).get('ana@example.com')!;
    expect(returned.id).not.toBe(ana.id);
  });

  it('keeps erasures per organization', async () => {
    const adapter = createMemoryAdapter();
    const a = createCustomerClient({ adapter, organizationId: 'org-a' });
    const b = createCustomerClient({ adapter, organizationId: 'org-b' });
    const ana = await a.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    await a.eraseCustomer(ana.id);
    expect(hashErasedEmail('org-a', 'ana@example.com')).not.toBe(hashErasedEmail('org-b', 'ana@example.com'));
    expect((await b.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' })).email).toBe(
      'ana@example.com',
    );
    expect(isCustomerError(await b.eraseCustomer(ana.id).catch((e: unknown) => e), 'not_found')).toBe(true);
    expect(
      await a.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' }, { reconsent: true }),
    ).toMatchObject({
      organizationId: 'org-a',
    });
  });
});
