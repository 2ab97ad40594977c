import {
  type ChannelConsent,
  CONSENT_CHANNELS,
  type Customer,
  type CustomerConsent,
  type CustomerPatch,
  type CustomFieldValue,
  type EditableField,
  UNKNOWN_CONSENT,
} from '@donutauto/core';
import { sameChannelConsent } from '@donutauto/core/adapter';
import { DERIVED_COLUMNS, type DerivationSource, derivedValue, patchedDerived } from './derived-columns';
import { toArrayLiteral } from './sql/array-literal';
import { FIELDS, fieldKind } from './sql/statements';

/** A customers row as both drivers return it (bigint may arrive as text). */
export type CustomerRow = Record<string, unknown>;

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function customFields(value: unknown): Record<string, CustomFieldValue> {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  const out: Record<string, CustomFieldValue> = {};
  for (const key of Object.keys(parsed).sort())
    out[key] = (parsed as Record<string, CustomFieldValue>)[key] ?? null;
  return out;
}

function channel(value: unknown): ChannelConsent {
  if (typeof value !== 'object' || value === null) return { ...UNKNOWN_CONSENT };
  const c = value as Record<string, unknown>;
  return {
    state: (c.state ?? 'unknown') as ChannelConsent['state'],
    at: typeof c.at === 'number' ? c.at : null,
    source: (c.source ?? null) as ChannelConsent['source'],
    by: typeof c.by === 'string' ? c.by : null,
  };
}

/**
 * Reads the `consent` column (jsonb, or its text from a driver that returns text).
 * @param value - The column's value.
 * @returns Every channel, in the SDK's key order.
 */
export function consentOf(value: unknown): CustomerConsent {
  const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown> | null;
  return { email: channel(parsed?.email), sms: channel(parsed?.sms), socialDm: channel(parsed?.socialDm) };
}

/**
 * Turns a stored row into a fresh `Customer` (every call builds new arrays and objects).
 * @param row - A row selected with the adapter's column list.
 * @returns The customer.
 */
export function rowToCustomer(row: CustomerRow): Customer {
  return {
    id: String(row.id),
    organizationId: String(row.organization_id),
    firstName: String(row.first_name),
    lastName: String(row.last_name),
    email: String(row.email),
    phone: text(row.phone),
    dob: text(row.dob),
    preferences: list(row.preferences),
    instagramHandle: text(row.instagram_handle),
    tiktokHandle: text(row.tiktok_handle),
    twitterHandle: text(row.twitter_handle),
    gender: text(row.gender),
    location: text(row.location),
    notes: text(row.notes),
    tags: list(row.tags),
    customFields: customFields(row.custom_fields),
    consent: consentOf(row.consent),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    version: Number(row.version),
  };
}

/**
 * Encodes one field value as the text parameter its column's cast expects.
 * @param field - An editable field.
 * @param value - Its normalized value.
 * @returns Text (lists as array literals, custom fields as JSON) or `null`.
 */
export function encodeField(field: EditableField, value: unknown): string | null {
  const kind = fieldKind(field);
  if (kind === 'list') return toArrayLiteral(Array.isArray(value) ? (value as string[]) : []);
  if (kind === 'json') return JSON.stringify(value ?? {});
  return value === null || value === undefined ? null : String(value);
}

/**
 * A customer's consent as a whole row stores it: only the channels something was recorded for.
 * A channel left out reads back as `unknown` (`consentOf`; the consent filter coalesces), so a
 * customer with no record, most of an import, stores `{}` instead of ≈230 bytes of jsonb (a third
 * of such a row, measured in bench/RESULTS.md). Patches still name every channel they set, so
 * `consent || patch` can set one back to `unknown`.
 * @param consent - The customer's consent.
 * @returns JSON text for the jsonb column.
 */
export function storedConsentText(consent: CustomerConsent): string {
  let recorded: Partial<Record<keyof CustomerConsent, ChannelConsent>> | undefined;
  for (const channel of CONSENT_CHANNELS) {
    const value = consent?.[channel];
    if (value === undefined || sameChannelConsent(value, UNKNOWN_CONSENT)) continue;
    recorded ??= {};
    recorded[channel] = value;
  }
  return recorded === undefined ? '{}' : JSON.stringify(recorded);
}

/** A field of a whole customer as the text its column's cast expects (see {@link encodeField}). */
function rowFieldText(c: Customer, field: EditableField): string | null {
  return field === 'consent' ? storedConsentText(c.consent) : encodeField(field, c[field]);
}

/**
 * Lays a batch out column by column, each column one array-literal parameter for `unnest`.
 * @param customers - The batch.
 * @returns Parameters `$2…` of the insert statement (the email keys last).
 */
export function batchColumns(customers: readonly Customer[]): string[] {
  const ids = customers.map((c) => c.id);
  const columns = FIELDS.map((field) => toArrayLiteral(customers.map((c) => rowFieldText(c, field))));
  return [
    toArrayLiteral(ids),
    ...columns,
    toArrayLiteral(customers.map((c) => String(c.createdAt))),
    toArrayLiteral(customers.map((c) => String(c.updatedAt))),
    toArrayLiteral(customers.map((c) => String(c.version))),
    ...DERIVED_COLUMNS.map((column) => toArrayLiteral(customers.map((c) => derivedValue(column, c)))),
  ];
}

/**
 * The derived columns a patch changes and their new values, computed from the stored searchable
 * fields merged with the patch.
 * @param patch - A normalized patch.
 * @param stored - The searchable fields as stored (needed when the patch touches one of them).
 * @returns The columns and their values, in `DERIVED_COLUMNS` order.
 */
export function patchDerived(
  patch: CustomerPatch,
  stored: Partial<DerivationSource> | undefined,
): { column: (typeof DERIVED_COLUMNS)[number]; value: string | null }[] {
  const merged = { ...stored } as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) merged[key] = value;
  return patchedDerived(patch).map((column) => ({
    column,
    value: derivedValue(column, merged as unknown as DerivationSource),
  }));
}

/**
 * The fields a patch sets, in the fixed column order (values `undefined` are ignored).
 * @param patch - A normalized patch.
 * @returns The field names.
 */
export function patchedFields(patch: CustomerPatch): EditableField[] {
  return FIELDS.filter((f) => Object.hasOwn(patch, f) && patch[f] !== undefined);
}

/**
 * A patch as the JSON the batch update reads (`p ? 'field'`, `p ->> 'field'`), with the derived
 * columns it changes under `$<column>` (as the text their casts read: lists as array literals).
 * @param patch - A normalized patch.
 * @param stored - The stored searchable fields of the customer (see {@link patchDerived}).
 * @returns JSON text holding only the patched fields and their derived columns.
 */
export function patchJson(patch: CustomerPatch, stored?: Partial<DerivationSource>): string {
  const out: Record<string, unknown> = {};
  for (const field of patchedFields(patch)) out[field] = patch[field];
  for (const { column, value } of patchDerived(patch, stored)) out[`$${column}`] = value;
  return JSON.stringify(out);
}

function copyEscape(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : value;
}

/** Which COPY columns may hold `\N` (NULL): the nullable text fields. */
const NULLABLE_FIELDS: ReadonlySet<EditableField> = new Set(
  FIELDS.filter((f) => fieldKind(f) === 'text' && !['firstName', 'lastName', 'email'].includes(f)),
);

/**
 * A COPY line (without its newline) none of whose values needs escaping: per column either plain
 * text (no tab, newline, carriage return or backslash) or, in a nullable column, exactly `\N`.
 */
const PLAIN_LINE = (() => {
  const plain = '[^\\t\\n\\r\\\\]*';
  const column = (nullable: boolean) => (nullable ? `(?:\\\\N|${plain})` : plain);
  const derived = DERIVED_COLUMNS.map((c) => c === 'birthday_key');
  const columns = [
    false,
    false,
    ...FIELDS.map((f) => NULLABLE_FIELDS.has(f)),
    false,
    false,
    false,
    ...derived,
  ];
  return new RegExp(`^${columns.map(column).join('\\t')}$`);
})();

/** Values in a COPY line: the organization, the id, the fields, three system columns, the derived ones. */
const COPY_VALUE_COUNT = 2 + FIELDS.length + 3 + DERIVED_COLUMNS.length;

/**
 * A nullable text value as it goes into an unescaped line: `\N` for NULL. A stored text that is
 * itself `\N` is given its escaped form, which fails {@link PLAIN_LINE} and sends the line down the
 * escaping path, so it can never be read back as NULL. A missing value (from an untyped caller) is
 * NULL, as `encodeField` makes it.
 */
const orNull = (value: string | null) =>
  value === null || value === undefined ? '\\N' : value === '\\N' ? '\\\\N' : value;

/** A list as its array literal (`{}` for an empty or missing one, as `encodeField` writes it). */
const listText = (values: readonly string[]) => (Array.isArray(values) ? toArrayLiteral(values) : '{}');

function jsonText(record: Readonly<Record<string, CustomFieldValue>>): string {
  for (const _ in record) return JSON.stringify(record);
  return '{}';
}

/** One customer's COPY line with every value escaped on its own (the rare line with special characters). */
function escapedLine(c: Customer, derived: readonly (string | null)[]): string {
  let line = `${copyEscape(c.organizationId)}\t${copyEscape(c.id)}`;
  for (const field of FIELDS) line += `\t${copyEscape(rowFieldText(c, field))}`;
  line += `\t${c.createdAt}\t${c.updatedAt}\t${c.version}`;
  for (const value of derived) line += `\t${copyEscape(value)}`;
  return line;
}

/**
 * A batch in COPY text format (tab-separated, `\N` for NULL), columns as `copySql` lists them
 * (the derived columns — the email key first — last).
 * Each line is first built unescaped and checked once: only a line holding a tab, newline, carriage
 * return or backslash inside a value is rebuilt value by value with escapes.
 * @param customers - The batch.
 * @returns The COPY data.
 */
export function copyText(customers: readonly Customer[]): string {
  // One slot per line and a final '' (so the join ends with a newline); each line is joined from
  // its values at once, flat, with no intermediate strings.
  const lines = new Array<string>(customers.length + 1);
  const values = new Array<string>(COPY_VALUE_COUNT);
  // A batch's customers usually share their timestamps: their text is made once.
  let time = Number.NaN;
  let timeText = '';
  for (let i = 0; i < customers.length; i++) {
    const c = customers[i]!;
    if (c.createdAt !== time) {
      time = c.createdAt;
      timeText = String(time);
    }
    // Columns in FIELDS order, then DERIVED_COLUMNS order (copy-text.test.ts checks both against
    // value-by-value escaping).
    values[0] = c.organizationId;
    values[1] = c.id;
    values[2] = c.firstName;
    values[3] = c.lastName;
    values[4] = c.email;
    values[5] = orNull(c.phone);
    values[6] = orNull(c.dob);
    values[7] = listText(c.preferences);
    values[8] = orNull(c.instagramHandle);
    values[9] = orNull(c.tiktokHandle);
    values[10] = orNull(c.twitterHandle);
    values[11] = orNull(c.gender);
    values[12] = orNull(c.location);
    values[13] = orNull(c.notes);
    values[14] = listText(c.tags);
    values[15] = jsonText(c.customFields);
    values[16] = storedConsentText(c.consent);
    values[17] = timeText;
    values[18] = c.updatedAt === time ? timeText : String(c.updatedAt);
    values[19] = String(c.version);
    values[20] = orNull(derivedValue('email_key', c));
    values[21] = orNull(derivedValue('first_name_key', c));
    values[22] = orNull(derivedValue('last_name_key', c));
    values[23] = orNull(derivedValue('search_words', c));
    values[24] = orNull(derivedValue('preference_keys', c));
    values[25] = orNull(derivedValue('tag_keys', c));
    values[26] = orNull(derivedValue('birthday_key', c));
    const line = values.join('\t');
    lines[i] = PLAIN_LINE.test(line)
      ? line
      : escapedLine(
          c,
          DERIVED_COLUMNS.map((column) => derivedValue(column, c)),
        );
  }
  lines[customers.length] = '';
  return lines.join('\n');
}
