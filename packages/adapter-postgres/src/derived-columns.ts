import { type Customer, type CustomerPatch, type EditableField, normalizeEmail } from '@donutauto/core';
import { birthdayKey, customerWords, foldText, listKeys, SEARCH_FIELDS } from '@donutauto/core/adapter';
import { toArrayLiteral } from './sql/array-literal';

/**
 * The columns the SDK derives from a customer and writes next to it, so PostgreSQL compares, filters
 * and sorts on exactly the values core's reference compares (it never folds text itself):
 * - `email_key` (migration 5): `normalizeEmail(email)`, the unique-per-organization key;
 * - `first_name_key`, `last_name_key` (`COLLATE "C"`): the folded names the name sorts order by;
 * - `search_words`: the search words, each preceded by a space (`' ana li ana example com'`), so a
 *   word prefix is `LIKE '% pre%'`;
 * - `preference_keys`, `tag_keys`: the folded list entries;
 * - `birthday_key`: month × 100 + day of the date of birth.
 */
export const DERIVED_COLUMNS = [
  'email_key',
  'first_name_key',
  'last_name_key',
  'search_words',
  'preference_keys',
  'tag_keys',
  'birthday_key',
] as const;

/** A derived column. */
export type DerivedColumn = (typeof DERIVED_COLUMNS)[number];

/** The SQL type each derived column's parameter is cast to. */
export const DERIVED_CASTS: Readonly<Record<DerivedColumn, string>> = {
  email_key: 'text',
  first_name_key: 'text',
  last_name_key: 'text',
  search_words: 'text',
  preference_keys: 'text[]',
  tag_keys: 'text[]',
  birthday_key: 'smallint',
};

/** The one editable field each single-source column derives from (`search_words` has several). */
const SOURCE: Readonly<Partial<Record<DerivedColumn, EditableField>>> = {
  email_key: 'email',
  first_name_key: 'firstName',
  last_name_key: 'lastName',
  preference_keys: 'preferences',
  tag_keys: 'tags',
  birthday_key: 'dob',
};

/** The derived columns migration 2 adds and backfills (`email_key` is migration 5's). */
export const SEARCH_KEY_COLUMNS: readonly DerivedColumn[] = DERIVED_COLUMNS.filter((c) => c !== 'email_key');

/** The fields `search_words` is made of. */
const SEARCH_FIELD_SET: ReadonlySet<string> = new Set(SEARCH_FIELDS);

/** The searchable fields of a customer, as the update paths read them from a stored row. */
export type SearchSource = Pick<Customer, (typeof SEARCH_FIELDS)[number]>;

/** Every field a derived column is computed from. */
export type DerivationSource = SearchSource & Pick<Customer, 'preferences' | 'tags' | 'dob'>;

/** The stored `search_words` of a customer. */
export function searchWordsText(customer: SearchSource): string {
  const words = customerWords(customer);
  return words.length === 0 ? '' : ` ${words.join(' ')}`;
}

/**
 * One derived column's value, as the text parameter its cast expects (lists as array literals).
 * @param column - The derived column.
 * @param customer - The customer (at least the column's source fields).
 * @returns Text, or `null` (a customer without a date of birth has no birthday key).
 */
export function derivedValue(column: DerivedColumn, customer: DerivationSource): string | null {
  switch (column) {
    case 'email_key':
      return normalizeEmail(customer.email);
    case 'first_name_key':
      return foldText(customer.firstName);
    case 'last_name_key':
      return foldText(customer.lastName);
    case 'search_words':
      return searchWordsText(customer);
    case 'preference_keys':
      return toArrayLiteral(listKeys(customer.preferences));
    case 'tag_keys':
      return toArrayLiteral(listKeys(customer.tags));
    case 'birthday_key': {
      const key = birthdayKey(customer.dob);
      return key === null ? null : String(key);
    }
  }
}

/**
 * The derived columns a patch changes: those whose source field it sets.
 * @param patch - A normalized patch.
 * @returns The columns, in {@link DERIVED_COLUMNS} order.
 */
export function patchedDerived(patch: CustomerPatch): DerivedColumn[] {
  const set = (field: string) => Object.hasOwn(patch, field) && patch[field as EditableField] !== undefined;
  return DERIVED_COLUMNS.filter((column) => {
    const source = SOURCE[column];
    return source === undefined ? [...SEARCH_FIELD_SET].some(set) : set(source);
  });
}

/** Columns (besides the search fields) the update paths read to recompute `search_words`. */
export const SEARCH_SOURCE_COLUMNS = [
  'first_name',
  'last_name',
  'email',
  'phone',
  'instagram_handle',
  'tiktok_handle',
  'twitter_handle',
] as const;

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);

/**
 * The searchable fields of a stored row.
 * @param row - A row holding {@link SEARCH_SOURCE_COLUMNS}.
 * @returns The fields.
 */
export function searchSourceOf(row: Record<string, unknown>): SearchSource {
  return {
    firstName: String(row.first_name),
    lastName: String(row.last_name),
    email: String(row.email),
    phone: text(row.phone),
    instagramHandle: text(row.instagram_handle),
    tiktokHandle: text(row.tiktok_handle),
    twitterHandle: text(row.twitter_handle),
  };
}

/**
 * Every source field of the derived columns, read from a stored row.
 * @param row - A customers row.
 * @returns The fields.
 */
export function derivationSourceOf(row: Record<string, unknown>): DerivationSource {
  return {
    ...searchSourceOf(row),
    preferences: list(row.preferences),
    tags: list(row.tags),
    dob: text(row.dob),
  };
}
