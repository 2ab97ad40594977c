import { parseCustomerCsv } from '@donutauto/core';
import { describe, expect, it } from 'vitest';
import { mapCsvHeaders } from '../header-mapping';

const targets = (headers: string[], options = {}) =>
  mapCsvHeaders(headers, options, ',').columns.map((c) => c.target);

describe('mapCsvHeaders', () => {
  it('maps the template names exactly, with confidence 1', () => {
    const mapping = mapCsvHeaders(['firstName', 'lastName', 'email'], {}, ',');
    expect(mapping.columns.map((c) => [c.target, c.match, c.confidence, c.needsConfirmation])).toEqual([
      ['firstName', 'exact', 1, false],
      ['lastName', 'exact', 1, false],
      ['email', 'exact', 1, false],
    ]);
    expect(mapping.issues).toEqual([]);
  });

  it('maps case, space and punctuation variants and synonyms', () => {
    expect(
      targets(['\uFEFFFIRST_NAME', 'Surname', 'E-mail', 'Phone Number', 'Date of Birth', 'Instagram']),
    ).toEqual(['firstName', 'lastName', 'email', 'phone', 'dob', 'instagramHandle']);
    expect(targets(['Given Name', 'Last', 'Email Address', 'Mobile', 'Birthday', 'DOB'])).toEqual([
      'firstName',
      'lastName',
      'email',
      'phone',
      'dob',
      null,
    ]);
  });

  it('recognizes POS and marketing exports', () => {
    // Square customer directory export
    expect(
      targets([
        'Reference ID',
        'First Name',
        'Last Name',
        'Email Address',
        'Phone Number',
        'Birthday',
        'Memo',
        'Groups',
      ]),
    ).toEqual([null, 'firstName', 'lastName', 'email', 'phone', 'dob', 'notes', 'tags']);
    // Shopify customers export: Phone beats Default Address Phone
    const shopify = mapCsvHeaders(
      ['Customer ID', 'First Name', 'Last Name', 'Email', 'Default Address Phone', 'Phone', 'Note', 'Tags'],
      {},
      ',',
    );
    expect(shopify.columns.map((c) => c.target)).toEqual([
      null,
      'firstName',
      'lastName',
      'email',
      null,
      'phone',
      'notes',
      'tags',
    ]);
    expect(shopify.issues.find((i) => i.code === 'duplicate_column')?.column).toBe('Default Address Phone');
    // Mailchimp audience export, HubSpot contacts export
    expect(targets(['Email Address', 'First Name', 'Last Name', 'Birthday', 'TAGS'])).toEqual([
      'email',
      'firstName',
      'lastName',
      'dob',
      'tags',
    ]);
    expect(
      targets(['Record ID', 'First Name', 'Last Name', 'Email', 'Mobile Phone Number', 'Gender', 'City']),
    ).toEqual([null, 'firstName', 'lastName', 'email', 'phone', 'gender', 'location']);
    // Clover customers export
    expect(
      targets([
        'Customer ID',
        'First Name',
        'Last Name',
        'Phone Number',
        'Email Address',
        'Birthday',
        'Note',
      ]),
    ).toEqual([null, 'firstName', 'lastName', 'phone', 'email', 'dob', 'notes']);
    // Toast guest export: one name column, split into first and last name
    expect(targets(['Guest Name', 'Customer Email', 'Customer Phone', 'Birthday'])).toEqual([
      'fullName',
      'email',
      'phone',
      'dob',
    ]);
    // Lightspeed Retail and X-Series customer exports
    expect(
      targets(['First Name', 'Last Name', 'Email', 'Mobile', 'Birth Date', 'Customer Group', 'City']),
    ).toEqual(['firstName', 'lastName', 'email', 'phone', 'dob', 'tags', 'location']);
    expect(
      targets([
        'customer_code',
        'first_name',
        'last_name',
        'email',
        'date_of_birth',
        'sex',
        'twitter',
        'customer_group_name',
      ]),
    ).toEqual([null, 'firstName', 'lastName', 'email', 'dob', 'gender', 'twitterHandle', 'tags']);
  });

  it('reports fuzzy and weak alias matches with their confidence so a UI can confirm them', () => {
    const mapping = mapCsvHeaders(['Frist Name', 'Lastname', 'Emial', 'Cell'], {}, ',');
    const [first, , email, cell] = mapping.columns;
    expect(first).toMatchObject({ target: 'firstName', match: 'fuzzy', needsConfirmation: true });
    expect(first!.confidence).toBeLessThan(0.9);
    expect(email).toMatchObject({ target: 'email', match: 'fuzzy', needsConfirmation: true });
    expect(cell).toMatchObject({ target: 'phone', match: 'alias', confidence: 0.8, needsConfirmation: true });
  });

  it('lets an explicit mapping win and ignore columns', () => {
    const mapping = mapCsvHeaders(
      ['Email', 'Contact', 'Phone'],
      { mapping: { Contact: 'email', Email: null, Phone: 'customFields.landline' } },
      ',',
    );
    expect(mapping.columns.map((c) => [c.target, c.match])).toEqual([
      [null, 'ignored'],
      ['email', 'explicit'],
      ['customFields.landline', 'explicit'],
    ]);
  });

  it('matches explicit mapping keys regardless of case, spaces and punctuation, unless two read alike', () => {
    const loose = mapCsvHeaders(
      ['E-Mail ', 'CONTACT', 'Cell'],
      { mapping: { contact: 'email', 'e mail': null } },
      ',',
    );
    expect(loose.columns.map((c) => [c.target, c.match])).toEqual([
      [null, 'ignored'],
      ['email', 'explicit'],
      ['phone', 'alias'],
    ]);
    // An exact key always wins; keys that read alike match only exactly.
    const exact = mapCsvHeaders(
      ['Contact', 'contact!'],
      { mapping: { Contact: 'email', CONTACT: 'phone' } },
      ',',
    );
    expect(exact.columns.map((c) => [c.target, c.match])).toEqual([
      ['email', 'explicit'],
      [null, 'unmapped'],
    ]);
  });

  it('matches explicit keys without a letter or digit in a–z, 0–9 only exactly', async () => {
    const cyrillic = mapCsvHeaders(['Имя', 'Почта', 'Телефон'], { mapping: { Почта: 'email' } }, ',');
    expect(cyrillic.columns.map((c) => [c.column, c.target, c.match])).toEqual([
      ['Имя', null, 'unmapped'],
      ['Почта', 'email', 'explicit'],
      ['Телефон', null, 'unmapped'],
    ]);
    const hash = mapCsvHeaders(['', '#'], { mapping: { '#': 'customFields.ref' } }, ',');
    expect(hash.columns.map((c) => [c.column, c.target, c.match])).toEqual([
      ['', null, 'unmapped'],
      ['#', 'customFields.ref', 'explicit'],
    ]);
    const result = await parseCustomerCsv('Имя,Фамилия,Почта\nAna,Li,ana@example.com\n', {
      mapping: { Имя: 'firstName', Фамилия: 'lastName', Почта: 'email' },
    });
    expect(result.customers.map((c) => [c.firstName, c.lastName, c.email])).toEqual([
      ['Ana', 'Li', 'ana@example.com'],
    ]);
  });

  it('numbers header issues with the header line, after leading blank lines', async () => {
    const result = await parseCustomerCsv(
      '\n\nfirstName,lastName,Email,Email\nAna,Li,a@example.com,b@example.com\n',
    );
    expect(result.mapping.issues.map((i) => [i.row, i.code])).toEqual([[3, 'duplicate_column']]);
    expect(result.customers.map((c) => c.email)).toEqual(['a@example.com']);
  });

  it('refuses an explicit mapping to an unknown target', () => {
    expect(() => mapCsvHeaders(['x'], { mapping: { x: 'id' as never } }, ',')).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
  });

  it('uses Full Name only when there is no first or last name column', () => {
    expect(targets(['Full Name', 'Email'])).toEqual(['fullName', 'email']);
    const both = mapCsvHeaders(['Name', 'First Name', 'Last Name', 'Email'], {}, ',');
    expect(both.columns.map((c) => c.target)).toEqual([null, 'firstName', 'lastName', 'email']);
    expect(both.issues.map((i) => [i.code, i.column])).toEqual([['unmapped_column', 'Name']]);
  });

  it('reports unmapped columns, or maps them to custom fields when asked', () => {
    const reported = mapCsvHeaders(['Email', 'First Name', 'Last Name', 'Loyalty Points'], {}, ',');
    expect(reported.issues).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'Loyalty Points',
        code: 'unmapped_column',
        level: 'warning',
      }),
    ]);
    expect(targets(['Loyalty Points'], { unmappedColumns: 'customFields' })).toEqual([
      'customFields.loyaltyPoints',
    ]);
    expect(
      targets(['custom.tier', 'Tier Level'], {
        customFieldDefinitions: [{ key: 'tierLevel', type: 'text' }],
      }),
    ).toEqual(['customFields.tier', 'customFields.tierLevel']);
  });

  it('keeps headers without a–z/0–9 away from definitions unless a label reads the same', () => {
    const definitions = [
      { key: 'visits', type: 'number' as const },
      { key: 'tier', type: 'text' as const, label: 'Tier' },
      { key: 'city', type: 'text' as const, label: 'Город' },
    ];
    const mapping = mapCsvHeaders(
      ['Email', 'Имя', '#', '', 'город'],
      { customFieldDefinitions: definitions },
      ',',
    );
    expect(mapping.columns.map((c) => [c.column, c.target, c.match])).toEqual([
      ['Email', 'email', 'variant'],
      ['Имя', null, 'unmapped'],
      ['#', null, 'unmapped'],
      ['', null, 'unmapped'],
      ['город', 'customFields.city', 'custom_field'],
    ]);
  });

  it('does not invent custom fields the given definitions lack', () => {
    const mapping = mapCsvHeaders(
      ['Email', 'First Name', 'Last Name', 'Loyalty Points', 'Visits'],
      { unmappedColumns: 'customFields', customFieldDefinitions: [{ key: 'visits', type: 'number' }] },
      ',',
    );
    expect(mapping.columns.map((c) => c.target)).toEqual([
      'email',
      'firstName',
      'lastName',
      null,
      'customFields.visits',
    ]);
    expect(mapping.issues).toEqual([
      expect.objectContaining({
        column: 'Loyalty Points',
        code: 'unmapped_column',
        message: expect.stringContaining('custom field definition'),
      }),
    ]);
  });

  it('reports missing required columns on the header row', () => {
    const mapping = mapCsvHeaders(['Phone'], {}, ',');
    expect(mapping.issues.filter((i) => i.code === 'missing_column').map((i) => i.field)).toEqual([
      'email',
      'firstName',
      'lastName',
    ]);
  });
});
