import type { ImportIssue } from '../errors/import-issue';
import type { CustomFieldDefinition } from '../model/custom-fields';
import { CUSTOM_FIELD_KEY } from '../model/customer-fields';
import type {
  CsvColumnMapping,
  CsvHeaderMapping,
  CsvParseOptions,
  CsvTarget,
  HeaderMatchKind,
} from './csv-types';
import { type CsvStandardTarget, HEADER_ALIASES } from './header-aliases';
import { checkMappingTarget, STANDARD_TARGET_SET, STANDARD_TARGETS } from './mapping-targets';

const CUSTOM_PREFIX = /^custom\.(.+)$/i;
/** Confidence below which a match is a guess a UI should confirm. */
const CONFIRM_BELOW = 0.9;

interface Candidate {
  readonly target: CsvTarget;
  readonly match: HeaderMatchKind;
  readonly confidence: number;
  readonly sources?: readonly string[];
}

/**
 * Normalizes a header for matching: no BOM, lower case, letters and digits only (accents removed).
 * @param header - A header cell.
 * @returns The comparison key, e.g. `E-mail Address` → `emailaddress`.
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Every known header variant and alias by its comparison key; the first spelling of a key wins. */
const ALIAS_BY_KEY = /* @__PURE__ */ aliasIndex();

function aliasIndex(): Map<string, Candidate> {
  const index = new Map<string, Candidate>();
  for (const field of STANDARD_TARGETS)
    index.set(headerKey(field), { target: field, match: 'variant', confidence: 0.95 });
  for (const alias of HEADER_ALIASES) {
    const key = headerKey(alias.header);
    if (!index.has(key)) {
      index.set(key, {
        target: alias.target,
        match: 'alias',
        confidence: alias.confidence,
        sources: alias.sources,
      });
    }
  }
  return index;
}

/** Edit distance counting a swap of two neighbours as one edit (typos like `Emial`). */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, before[j - 2]! + 1);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

function fuzzy(key: string): Candidate | undefined {
  if (key.length < 4) return undefined;
  const max = key.length >= 8 ? 2 : 1;
  let found: { candidate: Candidate; distance: number } | undefined;
  for (const [aliasKey, candidate] of ALIAS_BY_KEY) {
    if (aliasKey.length < 4) continue;
    const distance = editDistance(key, aliasKey, max);
    if (distance <= max && (!found || distance < found.distance)) found = { candidate, distance };
  }
  if (!found) return undefined;
  const confidence = Math.round(found.candidate.confidence * (found.distance === 1 ? 0.75 : 0.6) * 100) / 100;
  return { target: found.candidate.target, match: 'fuzzy', confidence };
}

/** Turns a header into a custom field key: `Loyalty Points` → `loyaltyPoints`. */
export function customFieldKeyOf(header: string): string {
  const words = header
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  const key = words
    .map((w, i) =>
      i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1),
    )
    .join('');
  return (/^[A-Za-z]/.test(key) ? key : `field${key}`).slice(0, 64);
}

function candidateOf(
  header: string,
  definitions: readonly CustomFieldDefinition[] | undefined,
  unmapped: CsvParseOptions['unmappedColumns'],
): Candidate | undefined {
  if (STANDARD_TARGET_SET.has(header))
    return { target: header as CsvStandardTarget, match: 'exact', confidence: 1 };
  const custom = CUSTOM_PREFIX.exec(header);
  if (custom?.[1] !== undefined && CUSTOM_FIELD_KEY.test(custom[1])) {
    return { target: `customFields.${custom[1]}`, match: 'custom_field', confidence: 1 };
  }
  const key = headerKey(header);
  const known = ALIAS_BY_KEY.get(key);
  if (known) return known;
  // A header with no a–z/0–9 (`Имя`, `#`, empty) has an empty key: it matches a definition only by
  // the label's own text, never an unlabelled or Latin-labelled definition (whose label key is empty too).
  const definition = definitions?.find(
    key === ''
      ? (d) => header !== '' && d.label?.trim().toLowerCase() === header.toLowerCase()
      : (d) => headerKey(d.key) === key || headerKey(d.label ?? '') === key,
  );
  if (definition)
    return { target: `customFields.${definition.key}`, match: 'custom_field', confidence: 0.95 };
  const guess = fuzzy(key);
  if (guess) return guess;
  // With definitions, a key they lack would be refused on every row (`unknown_custom_field`).
  if (unmapped === 'customFields' && key !== '' && definitions === undefined) {
    return { target: `customFields.${customFieldKeyOf(header)}`, match: 'custom_field', confidence: 0.6 };
  }
  return undefined;
}

/** Two keys of the explicit mapping that read alike: neither matches loosely. */
const AMBIGUOUS: unique symbol = Symbol('ambiguous');

/**
 * Maps a header row to customer fields by name, never by position: the explicit `mapping` first,
 * then the template's names, their case/space/punctuation variants, known aliases and POS/marketing
 * exports, custom field definitions, and finally small edit distances. When two columns claim a
 * field, the more certain (then the leftmost) wins. `fullName` is used only when the file has
 * neither a first- nor a last-name column.
 * @param headers - The header cells, raw.
 * @param options - `mapping`, `customFieldDefinitions`, `unmappedColumns`.
 * @param delimiter - The file's delimiter (reported back).
 * @param headerRow - The header's row number in the file, for its issues (blank lines may come
 * first). @defaultValue 1
 * @returns The mapping per column and the header row's issues.
 * @throws `invalid_argument` when the explicit mapping names an unknown target.
 */
export function mapCsvHeaders(
  headers: readonly string[],
  options: CsvParseOptions,
  delimiter: string,
  headerRow = 1,
): CsvHeaderMapping {
  const explicit = new Map<string, CsvTarget | null>();
  // The explicit mapping also matches headers that differ only in case, spaces or punctuation
  // (`contact` names the column `Contact`), unless two of its keys read alike.
  const explicitByKey = new Map<string, CsvTarget | null | typeof AMBIGUOUS>();
  for (const [column, target] of Object.entries(options.mapping ?? {})) {
    const checked = checkMappingTarget(column, target);
    explicit.set(column.trim(), checked);
    const key = headerKey(column);
    // A key with no letter or digit in a–z, 0–9 (`Почта`, `#`) reads like any other such header.
    if (key !== '') explicitByKey.set(key, explicitByKey.has(key) ? AMBIGUOUS : checked);
  }
  /** The explicit mapping's target for a header (`null`: ignore it), or `undefined` when it has none. */
  const explicitTarget = (column: string): CsvTarget | null | undefined => {
    if (explicit.has(column)) return explicit.get(column) ?? null;
    if (explicitByKey.size === 0) return undefined;
    const key = headerKey(column);
    const loose = key === '' ? undefined : explicitByKey.get(key);
    return loose === AMBIGUOUS ? undefined : loose;
  };
  const columns: CsvColumnMapping[] = headers.map((raw, index) => {
    const column = raw.replace(/^\uFEFF/, '').trim();
    const target = explicitTarget(column);
    if (target !== undefined) {
      return {
        index,
        column,
        target,
        match: target === null ? 'ignored' : 'explicit',
        confidence: 1,
        needsConfirmation: false,
      };
    }
    const candidate = candidateOf(column, options.customFieldDefinitions, options.unmappedColumns);
    if (!candidate)
      return { index, column, target: null, match: 'unmapped', confidence: 0, needsConfirmation: false };
    return {
      index,
      column,
      target: candidate.target,
      match: candidate.match,
      confidence: candidate.confidence,
      needsConfirmation: candidate.confidence < CONFIRM_BELOW,
      ...(candidate.sources?.length ? { sources: candidate.sources } : {}),
    };
  });

  const issues: ImportIssue[] = [];
  const winner = new Map<CsvTarget, CsvColumnMapping>();
  for (const col of columns) {
    if (col.target === null) continue;
    const current = winner.get(col.target);
    const rank = (c: CsvColumnMapping) => (c.match === 'explicit' ? 2 : c.confidence);
    if (!current || rank(col) > rank(current)) winner.set(col.target, col);
  }
  const hasName = winner.has('firstName') || winner.has('lastName');
  const resolved = columns.map((col): CsvColumnMapping => {
    if (col.target === null) return col;
    if (winner.get(col.target) !== col) {
      const kept = winner.get(col.target);
      issues.push({
        row: headerRow,
        column: col.column,
        code: 'duplicate_column',
        message: `Column "${col.column}" is not imported: column "${kept?.column}" already fills ${col.target}`,
        value: col.column,
        level: 'warning',
      });
      return { ...col, target: null, match: 'duplicate', needsConfirmation: false };
    }
    if (col.target === 'fullName' && hasName && col.match !== 'explicit') {
      issues.push({
        row: headerRow,
        column: col.column,
        code: 'unmapped_column',
        message: `Column "${col.column}" is not imported: the file has first/last name columns`,
        value: col.column,
        level: 'warning',
      });
      return { ...col, target: null, match: 'unmapped', confidence: 0, needsConfirmation: false };
    }
    return col;
  });
  for (const col of resolved) {
    if (col.match === 'unmapped' && col.column !== '' && !issues.some((i) => i.column === col.column)) {
      issues.push({
        row: headerRow,
        column: col.column,
        code: 'unmapped_column',
        message:
          options.unmappedColumns === 'customFields' && options.customFieldDefinitions !== undefined
            ? `Column "${col.column}" matches no customer field or custom field definition and is not imported`
            : `Column "${col.column}" matches no customer field and is not imported`,
        value: col.column,
        level: 'warning',
      });
    }
  }
  const targets = new Set(resolved.map((c) => c.target));
  const missing: [string, boolean][] = [
    ['email', targets.has('email')],
    ['firstName', targets.has('firstName') || targets.has('fullName')],
    ['lastName', targets.has('lastName') || targets.has('fullName')],
  ];
  for (const [field, present] of missing) {
    if (!present) {
      issues.push({
        row: headerRow,
        field,
        code: 'missing_column',
        message: `No column for ${field}: every row will lack it (use the mapping option to name the column)`,
        level: 'error',
      });
    }
  }
  return { columns: resolved, issues, delimiter };
}
