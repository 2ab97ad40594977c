import type { Customer, CustomerPatch, CustomFieldValue, EditableField } from '@donutauto/core';
import { toArrayLiteral } from './sql/array-literal';
import { FIELD_COLUMNS, FIELDS, fieldKind } from './sql/statements';

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
 * Lays a batch out column by column, each column one array-literal parameter for `unnest`.
 * @param customers - The batch.
 * @returns Parameters `$2…` of the insert statement.
 */
export function batchColumns(customers: readonly Customer[]): string[] {
  const ids = customers.map((c) => c.id);
  const columns = FIELDS.map((field) => toArrayLiteral(customers.map((c) => encodeField(field, c[field]))));
  return [
    toArrayLiteral(ids),
    ...columns,
    toArrayLiteral(customers.map((c) => String(c.createdAt))),
    toArrayLiteral(customers.map((c) => String(c.updatedAt))),
    toArrayLiteral(customers.map((c) => String(c.version))),
  ];
}

/**
 * The fields a patch sets, in the fixed column order (values `undefined` are ignored).
 * @param patch - A normalized patch.
 * @returns The field names.
 */
export function patchedFields(patch: CustomerPatch): EditableField[] {
  return FIELDS.filter(
    (f) => Object.hasOwn(patch, f) && patch[f] !== undefined && FIELD_COLUMNS[f] !== undefined,
  );
}

/**
 * A patch as the JSON the batch update reads (`p ? 'field'`, `p ->> 'field'`).
 * @param patch - A normalized patch.
 * @returns JSON text holding only the patched fields.
 */
export function patchJson(patch: CustomerPatch): string {
  const out: Record<string, unknown> = {};
  for (const field of patchedFields(patch)) out[field] = patch[field];
  return JSON.stringify(out);
}

function copyEscape(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : value;
}

/**
 * A batch in COPY text format (tab-separated, `\N` for NULL), columns as `copySql` lists them.
 * @param customers - The batch.
 * @returns The COPY data.
 */
export function copyText(customers: readonly Customer[]): string {
  let out = '';
  for (const c of customers) {
    let line = `${copyEscape(c.organizationId)}\t${copyEscape(c.id)}`;
    for (const field of FIELDS) line += `\t${copyEscape(encodeField(field, c[field]))}`;
    out += `${line}\t${c.createdAt}\t${c.updatedAt}\t${c.version}\n`;
  }
  return out;
}
