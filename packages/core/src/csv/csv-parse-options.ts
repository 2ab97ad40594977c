import { choiceOption } from '../errors/choice-option';
import { integerOption } from '../errors/integer-option';
import type { CsvParseOptions } from './csv-types';
import { checkCsvMapping } from './mapping-targets';

/** The delimiters a file may use (guessed among these when not given). */
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;

/** The parse options after checking, with their defaults applied. */
export interface CheckedCsvParseOptions extends CsvParseOptions {
  readonly batchSize: number;
  readonly maxRowLength: number;
  readonly maxCellLength: number;
}

/**
 * Checks the parse options when they are given, so a misspelled value fails at the call.
 * @param options - The caller's options.
 * @returns The options with their defaults.
 * @throws `invalid_argument` naming the first bad option.
 */
export function checkCsvParseOptions(options: CsvParseOptions): CheckedCsvParseOptions {
  choiceOption('dateOrder', options.dateOrder, ['MDY', 'DMY'], undefined);
  choiceOption('tooManyPreferences', options.tooManyPreferences, ['error', 'keepFirst'], undefined);
  choiceOption('unmappedColumns', options.unmappedColumns, ['report', 'customFields'], undefined);
  choiceOption('delimiter', options.delimiter, CSV_DELIMITERS, undefined);
  // The explicit mapping is checked before any reading starts.
  checkCsvMapping(options.mapping);
  return {
    ...options,
    batchSize: integerOption('batchSize', options.batchSize, 10_000, 500),
    maxRowLength: integerOption('maxRowLength', options.maxRowLength, 100_000_000, 100_000),
    maxCellLength: integerOption('maxCellLength', options.maxCellLength, 100_000_000, 10_000),
  };
}
