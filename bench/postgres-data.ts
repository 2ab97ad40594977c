/**
 * Deterministic customer data for the Postgres benchmarks: the same rows as a CSV file (what a
 * user imports) and as cleaned customers (what raw COPY loads, as the adapter's COPY text).
 */
import { type Customer, uuidv7 } from '@donutauto/core';
import { DERIVED_COLUMNS, derivedValue } from '../packages/adapter-postgres/src/derived-columns';
import {
  COPY_COLUMNS as ADAPTER_COPY_COLUMNS,
  FIELDS,
} from '../packages/adapter-postgres/src/sql/statements';

const FIRST = ['Ana', 'Bo', 'Chloé', 'Dev', 'Farah', 'Gus', 'Li', 'Zoë', 'Maya', 'Omar'];
const LAST = ['Li', 'Nguyen', 'Smith', 'García', 'Okafor', 'Müller', 'Kowalski', 'Ng', 'Rossi', 'Baker'];
const PREFS = ['glazed', 'chocolate', 'vegan', 'coffee', 'sprinkles'];
const TAGS = ['vip', 'newsletter', 'wholesale'];

/** The raw fields of row `i`, as a user's spreadsheet would hold them. */
export function rowFields(i: number) {
  const dob = `${1950 + (i % 55)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
  return {
    firstName: FIRST[i % FIRST.length]!,
    lastName: LAST[(i * 7) % LAST.length]!,
    email: `customer${i}@example.com`,
    phone: `+1555${String(i).padStart(7, '0')}`,
    dob,
    preferences: i % 3 === 0 ? [] : [PREFS[i % PREFS.length]!, PREFS[(i + 2) % PREFS.length]!],
    instagramHandle: i % 4 === 0 ? `@fan${i}` : null,
    tags: i % 5 === 0 ? [TAGS[i % TAGS.length]!] : [],
  };
}

/** CSV text of rows `[from, to)` with a header: the file `importCsv` reads. */
export function csvText(from: number, to: number): string {
  const lines = ['First Name,Last Name,Email,Phone,Date of Birth,Preferences,Instagram,Tags'];
  for (let i = from; i < to; i++) {
    const r = rowFields(i);
    lines.push(
      [
        r.firstName,
        r.lastName,
        r.email,
        r.phone,
        r.dob,
        `"${r.preferences.join(', ')}"`,
        r.instagramHandle ?? '',
        r.tags.join(','),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The cleaned customer of row `i`, as the SDK would store it. */
export function cleanCustomer(i: number, organizationId: string, createdAt: number): Customer {
  const r = rowFields(i);
  return {
    id: uuidv7(createdAt),
    organizationId,
    firstName: r.firstName,
    lastName: r.lastName,
    email: r.email,
    phone: r.phone,
    dob: r.dob,
    preferences: r.preferences,
    instagramHandle: r.instagramHandle,
    tiktokHandle: null,
    twitterHandle: null,
    gender: null,
    location: null,
    notes: null,
    tags: r.tags,
    customFields: {},
    createdAt,
    updatedAt: createdAt,
    version: 1,
  };
}

/** Column list of the row-by-row INSERT: the adapter's own COPY columns, derived ones included. */
export const COPY_COLUMNS = ADAPTER_COPY_COLUMNS.join(', ');

/**
 * A cleaned customer's values in {@link COPY_COLUMNS} order, as query parameters (lists as arrays,
 * custom fields as JSON text, derived columns as the adapter computes them).
 */
export function columnValues(c: Customer): unknown[] {
  return [
    c.organizationId,
    c.id,
    ...FIELDS.map((field) => (field === 'customFields' ? JSON.stringify(c.customFields) : c[field])),
    c.createdAt,
    c.updatedAt,
    c.version,
    ...DERIVED_COLUMNS.map((column) => derivedValue(column, c)),
  ];
}
