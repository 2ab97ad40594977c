/**
 * Deterministic customer data for the Postgres benchmarks: the same rows as a CSV file (what a
 * user imports) and as cleaned customers (what raw COPY loads, as the adapter's COPY text).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { type Customer, UNKNOWN_CONSENT, uuidv7 } from '@donutauto/core';
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
    notes: i % 6 === 0 ? 'Allergic to nuts, prefers oat milk; pick-up on Fridays at the Harbour shop' : null,
  };
}

const HEADER = 'First Name,Last Name,Email,Phone,Date of Birth,Preferences,Instagram,Tags,Notes';

/**
 * Whether row `i` of a file with bad rows is refused: every fourth row, alternately an email
 * without `@` and an empty last name (both errors whatever the options).
 */
export function isBadRow(i: number): boolean {
  return i % 4 === 3;
}

/** One data line of row `i`; `bad` spoils the rows {@link isBadRow} names. */
export function csvLine(i: number, bad = false): string {
  const r = rowFields(i);
  const spoiled = bad && isBadRow(i);
  const email = spoiled && (i >> 2) % 2 === 0 ? r.email.replace('@', '.') : r.email;
  const lastName = spoiled && (i >> 2) % 2 === 1 ? '' : r.lastName;
  return [
    r.firstName,
    lastName,
    email,
    r.phone,
    r.dob,
    `"${r.preferences.join(', ')}"`,
    r.instagramHandle ?? '',
    r.tags.join(','),
    r.notes === null ? '' : `"${r.notes}"`,
  ].join(',');
}

/** CSV text of rows `[from, to)` with a header: the file `importCsv` reads. */
export function csvText(from: number, to: number): string {
  const lines = [HEADER];
  for (let i = from; i < to; i++) lines.push(csvLine(i));
  return `${lines.join('\n')}\n`;
}

/**
 * Writes the CSV of rows `[0, rows)` to a file, streamed (little memory).
 * @param bad - Spoil every fourth row (see {@link isBadRow}).
 * @returns The file size in bytes.
 */
export async function writeCsvFile(path: string, rows: number, bad: boolean): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  let chunk = `${HEADER}\n`;
  for (let i = 0; i <= rows; i++) {
    if (i < rows) chunk += `${csvLine(i, bad)}\n`;
    if (chunk.length > 1 << 16 || i === rows) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

/** The cleaned customer of row `i`, as the SDK would store it. */
export function cleanCustomer(i: number, organizationId: string, createdAt: number): Customer {
  const r = rowFields(i);
  return {
    id: uuidv7(createdAt),
    organizationId,
    consent: { email: UNKNOWN_CONSENT, sms: UNKNOWN_CONSENT, socialDm: UNKNOWN_CONSENT },
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
    notes: r.notes,
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
