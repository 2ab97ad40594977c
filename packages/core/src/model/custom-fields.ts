import { type FieldIssue, InvalidArgumentError } from '../errors/customer-error';
import { CUSTOM_FIELD_KEY, FIELD_LIMITS } from './customer-fields';
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

const FIELD_TYPES: ReadonlySet<string> = new Set<CustomFieldType>([
  'text',
  'number',
  'boolean',
  'date',
  'select',
]);

/**
 * Checks an organization's custom field definitions, once, where they are given: each key a
 * custom field name (`CUSTOM_FIELD_KEY`, so never a prototype member such as `__proto__`), keys
 * unique, a known type, a `select` with a non-empty list of text options, at most
 * `FIELD_LIMITS.customFieldCount` definitions.
 * @param definitions - What the caller passed.
 * @returns The definitions.
 * @throws `invalid_argument` (argument `customFields`) naming the first bad definition.
 */
export function checkCustomFieldDefinitions(definitions: unknown): readonly CustomFieldDefinition[] {
  if (!Array.isArray(definitions)) throw badDefinitions('expected an array of custom field definitions');
  if (definitions.length > FIELD_LIMITS.customFieldCount) {
    throw badDefinitions(`at most ${FIELD_LIMITS.customFieldCount} custom fields can be defined`);
  }
  const keys = new Set<string>();
  for (let i = 0; i < definitions.length; i++) {
    const problem = definitionProblem(definitions[i], keys);
    if (problem !== undefined) throw badDefinitions(`definition ${i}: ${problem}`);
  }
  return definitions as readonly CustomFieldDefinition[];
}

function badDefinitions(message: string): InvalidArgumentError {
  return new InvalidArgumentError('customFields', message);
}

/** What is wrong with one definition (its key is added to `keys`), or `undefined`. */
function definitionProblem(def: unknown, keys: Set<string>): string | undefined {
  if (typeof def !== 'object' || def === null) return 'not an object';
  const { key, type, options, label, required } = def as Record<string, unknown>;
  if (typeof key !== 'string' || !CUSTOM_FIELD_KEY.test(key)) {
    return `key ${JSON.stringify(key)} must start with a letter and hold letters, digits or _ (max 64)`;
  }
  if (keys.has(key)) return `key "${key}" is defined twice`;
  keys.add(key);
  if (typeof type !== 'string' || !FIELD_TYPES.has(type)) return `unknown type ${JSON.stringify(type)}`;
  if (label !== undefined && typeof label !== 'string') return 'the label must be text';
  if (required !== undefined && typeof required !== 'boolean') return 'required must be true or false';
  const textList = Array.isArray(options) && options.every((o) => typeof o === 'string');
  if (type === 'select' ? !textList || options.length === 0 : options !== undefined && !textList) {
    return 'options must be a non-empty list of text';
  }
  return undefined;
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
    const wrongType = (message: string) => issues.push({ path, code: 'invalid_type', message });
    switch (def.type) {
      case 'text':
        if (typeof value !== 'string') wrongType(`${label} must be text`);
        break;
      case 'number':
        if (typeof value !== 'number') wrongType(`${label} must be a number`);
        break;
      case 'boolean':
        if (typeof value !== 'boolean') wrongType(`${label} must be true or false`);
        break;
      case 'date':
        if (typeof value !== 'string') wrongType(`${label} must be a date YYYY-MM-DD`);
        else if (checkDob(value, Number.MAX_SAFE_INTEGER) !== 'ok' || value.startsWith('--')) {
          issues.push({ path, code: 'invalid_format', message: `${label} must be a date YYYY-MM-DD` });
        }
        break;
      case 'select': {
        const options = def.options ?? [];
        if (typeof value !== 'string') wrongType(`${label} must be one of: ${options.join(', ')}`);
        else if (!options.includes(value)) {
          issues.push({
            path,
            code: 'invalid_value',
            message: `${label} must be one of: ${options.join(', ')}`,
          });
        }
        break;
      }
    }
  }
  if (!partial) {
    for (const def of definitions) {
      // Own values only: a definition keyed `constructor` must not see Object.prototype's member.
      const value = Object.hasOwn(values, def.key) ? values[def.key] : undefined;
      if (def.required && (value === undefined || value === null)) {
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
