import type { FieldIssue } from '../errors/customer-error';
import type { CustomFieldValue } from './customer-schema';
import { checkDob } from './normalize';

/** Type of a custom field's value. `date` is ISO `YYYY-MM-DD`; `select` is one of `options`. */
export type CustomFieldType = 'text' | 'number' | 'boolean' | 'date' | 'select';

/** An organization's definition of one custom field. */
export interface CustomFieldDefinition {
  /** The key stored in `customer.customFields` (letters, digits, `_`; starts with a letter). */
  readonly key: string;
  /** Label for forms and CSV headers. @defaultValue the key */
  readonly label?: string;
  /** Type of the value. */
  readonly type: CustomFieldType;
  /** Allowed values of a `select` field. */
  readonly options?: readonly string[];
  /** A customer must have a non-null value. @defaultValue false */
  readonly required?: boolean;
}

/** Custom field definitions, with a lookup by key. */
export interface CustomFieldIndex {
  /** The definitions, in order. */
  readonly definitions: readonly CustomFieldDefinition[];
  /** The definition of each key. */
  readonly byKey: ReadonlyMap<string, CustomFieldDefinition>;
}

/**
 * Indexes definitions by key, once for many checks (an import checks every row against them).
 * @param definitions - The organization's definitions.
 * @returns The definitions by key.
 */
export function indexCustomFields(definitions: readonly CustomFieldDefinition[]): CustomFieldIndex {
  return { definitions, byKey: new Map(definitions.map((d) => [d.key, d])) };
}

/**
 * Checks custom field values against an organization's definitions. Without definitions any
 * well-formed value is accepted.
 * @param values - Normalized custom fields of a customer (or of a patch).
 * @param definitions - The organization's definitions, or `undefined` for free-form fields.
 * @param partial - `true` for a patch: required fields absent from it are not reported.
 * @returns One issue per problem (empty when valid), with paths under `customFields`.
 */
export function checkCustomFields(
  values: Readonly<Record<string, CustomFieldValue>>,
  definitions: readonly CustomFieldDefinition[] | undefined,
  partial = false,
): FieldIssue[] {
  return definitions ? checkIndexedCustomFields(values, indexCustomFields(definitions), partial) : [];
}

/**
 * {@link checkCustomFields} against definitions already indexed with {@link indexCustomFields}.
 * @param values - Normalized custom fields of a customer (or of a patch).
 * @param index - The organization's definitions, indexed.
 * @param partial - `true` for a patch: required fields absent from it are not reported.
 * @returns One issue per problem (empty when valid), with paths under `customFields`.
 */
export function checkIndexedCustomFields(
  values: Readonly<Record<string, CustomFieldValue>>,
  index: CustomFieldIndex,
  partial = false,
): FieldIssue[] {
  const { definitions, byKey } = index;
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(values)) {
    const def = byKey.get(key);
    const path = ['customFields', key];
    if (!def) {
      issues.push({ path, code: 'unknown_custom_field', message: `Custom field "${key}" is not defined` });
      continue;
    }
    if (value === null) continue;
    const label = def.label ?? def.key;
    const bad = (message: string) => issues.push({ path, code: 'invalid_type', message });
    switch (def.type) {
      case 'text':
        if (typeof value !== 'string') bad(`${label} must be text`);
        break;
      case 'number':
        if (typeof value !== 'number') bad(`${label} must be a number`);
        break;
      case 'boolean':
        if (typeof value !== 'boolean') bad(`${label} must be true or false`);
        break;
      case 'date':
        if (
          typeof value !== 'string' ||
          checkDob(value, Number.MAX_SAFE_INTEGER) !== 'ok' ||
          value.startsWith('--')
        ) {
          bad(`${label} must be a date YYYY-MM-DD`);
        }
        break;
      case 'select':
        if (typeof value !== 'string' || !(def.options ?? []).includes(value)) {
          bad(`${label} must be one of: ${(def.options ?? []).join(', ')}`);
        }
        break;
    }
  }
  if (!partial) {
    for (const def of definitions) {
      if (def.required && (values[def.key] === undefined || values[def.key] === null)) {
        issues.push({
          path: ['customFields', def.key],
          code: 'required',
          message: `${def.label ?? def.key} is required`,
        });
      }
    }
  }
  return issues;
}
