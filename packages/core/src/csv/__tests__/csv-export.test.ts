import {
  createCustomerClient,
  createMemoryAdapter,
  csvTemplate,
  customersToCsv,
  parseCustomerCsv,
} from '@donutauto/core';
import { customerDataFixture } from '@donutauto/testing';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, CSV_CONSENT_COLUMNS } from '../csv-export';

const base = customerDataFixture({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });

describe('csvTemplate', () => {
  it('is RFC 4180: CRLF lines, header in template order, two examples, the preferences cell quoted', () => {
    const lines = csvTemplate().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe([...CSV_COLUMNS, ...CSV_CONSENT_COLUMNS].join(','));
    expect(lines[3]).toBe('');
    expect(lines[1]).toContain('"glazed, chocolate, vegan"');
  });

  it('puts the columns in the documented template order, custom fields last, each example cell under its header', () => {
    const [header, ana, ben] = csvTemplate({ customFieldKeys: ['favouriteDonut'] }).split('\r\n');
    expect(header).toBe(
      'firstName,lastName,email,phone,dob,preferences,instagramHandle,tiktokHandle,twitterHandle,' +
        'gender,location,notes,tags,consent.email,consent.sms,consent.socialDm,custom.favouriteDonut',
    );
    expect(ana).toBe(
      'Ana,Li,ana.li@example.com,5550100199,1990-03-15,"glazed, chocolate, vegan",ana.bakes,,,' +
        'female,Downtown,Allergic to nuts,"vip, newsletter",,,,',
    );
    // Handles go out without their `@`, and a leading `-` gets a `'`: both would start a formula.
    expect(ben).toBe(
      "Ben,O'Neil,ben.oneil@example.com,07700900123,'--11-02,coffee,,bendonuts,ben_oneil,,Harbour,,,,,,",
    );
  });
});

describe('customersToCsv', () => {
  it('neutralizes cells a spreadsheet would run as formulas', () => {
    const csv = customersToCsv([
      { ...base, firstName: '=HYPERLINK("http://x")', lastName: '+1', notes: '@SUM(A1)', location: '-2' },
    ]);
    const row = csv.split('\r\n')[1]!;
    expect(row.startsWith(`"'=HYPERLINK(""http://x"")",'+1,`)).toBe(true);
    expect(row).toContain("'@SUM(A1)");
    expect(row).toContain("'-2");
    for (const cell of row.split(',')) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('round-trips formula-like values, quotes, newlines and custom fields exactly', async () => {
    const customers = [
      {
        ...base,
        firstName: '=cmd|calc',
        notes: 'said "hi"\r\nthen left, happy',
        customFields: { tier: 'gold', code: '-007' },
      },
      { ...base, email: 'bo@example.com', lastName: "'Twas", customFields: { tier: '@vip' } },
    ];
    const csv = customersToCsv(customers);
    expect(csv.split('\r\n')[0]).toBe(
      `${[...CSV_COLUMNS, ...CSV_CONSENT_COLUMNS].join(',')},custom.code,custom.tier`,
    );
    const parsed = await parseCustomerCsv(csv);
    expect(parsed.customers).toEqual(customers);
    expect(parsed.issues).toEqual([]);
  });

  it('writes each channel’s consent state, and an import of the export gives the same states', async () => {
    const source = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const given = (state: 'subscribed' | 'unsubscribed') => ({
      state,
      at: 1_000,
      source: 'form' as const,
      by: 'till-1',
    });
    await source.add({ ...base, consent: { email: given('subscribed'), sms: given('unsubscribed') } });
    await source.add({ ...base, email: 'bo@example.com', consent: { socialDm: given('subscribed') } });
    await source.add({ ...base, email: 'cy@example.com' });
    let csv = '';
    for await (const chunk of source.exportCsv()) csv += chunk;
    const header = csv.split('\r\n')[0]!.split(',');
    const cells = (line: string) =>
      line.split(',').slice(header.indexOf('consent.email'), header.indexOf('consent.email') + 3);
    expect(csv.split('\r\n').slice(1, 4).map(cells)).toEqual([
      ['subscribed', 'unsubscribed', ''],
      ['', '', 'subscribed'],
      ['', '', ''],
    ]);

    const target = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const report = await target.importCsv(csv);
    expect(report).toMatchObject({ addedCount: 3, errorCount: 0 });
    const states = async (email: string) => {
      const found = (await target.list({ numItems: 10 })).page.find((c) => c.email === email);
      return [found?.consent.email.state, found?.consent.sms.state, found?.consent.socialDm.state];
    };
    expect(await states('ana@example.com')).toEqual(['subscribed', 'unsubscribed', 'unknown']);
    expect(await states('bo@example.com')).toEqual(['unknown', 'unknown', 'subscribed']);
    expect(await states('cy@example.com')).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('honours delimiter, line break and BOM options', async () => {
    const csv = customersToCsv([{ ...base, preferences: ['a', 'b'] }], {
      delimiter: ';',
      newline: '\n',
      bom: true,
    });
    expect(csv.startsWith('\uFEFFfirstName;lastName;')).toBe(true);
    expect(csv).not.toContain('\r');
    expect((await parseCustomerCsv(csv)).customers).toEqual([{ ...base, preferences: ['a', 'b'] }]);
  });
});

describe('client.exportCsv', () => {
  it("streams the organization's customers (or a filter's) and only theirs", async () => {
    const adapter = createMemoryAdapter();
    const client = createCustomerClient({ adapter, organizationId: 'org_a' });
    const other = createCustomerClient({ adapter, organizationId: 'org_b' });
    await client.bulkAddCustomers(
      Array.from({ length: 5 }, (_, i) => ({
        ...base,
        email: `u${i}@example.com`,
        tags: i % 2 ? ['vip'] : [],
        customFields: { n: i },
      })),
    );
    await other.add({ ...base, email: 'secret@example.com' });
    const read = async (options = {}) => {
      let text = '';
      for await (const chunk of client.exportCsv({ numItems: 2, ...options })) text += chunk;
      return text;
    };
    const all = await read();
    expect(all).not.toContain('secret@example.com');
    const parsed = await parseCustomerCsv(all, { customFieldDefinitions: [{ key: 'n', type: 'number' }] });
    expect(parsed.customers.map((c) => c.email)).toEqual([
      'u0@example.com',
      'u1@example.com',
      'u2@example.com',
      'u3@example.com',
      'u4@example.com',
    ]);
    expect(parsed.customers[3]?.customFields).toEqual({ n: 3 });
    const vips = await parseCustomerCsv(await read({ filter: { tags: { all: ['vip'] } } }));
    expect(vips.customers.map((c) => c.email)).toEqual(['u1@example.com', 'u3@example.com']);
  });
});
