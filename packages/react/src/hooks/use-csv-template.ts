import { type CsvFormatOptions, csvTemplate } from '@donutauto/core';
import { useCallback, useMemo } from 'react';
import { saveFile } from './save-file';

/** Options of {@link useCsvTemplate}. */
export interface UseCsvTemplateOptions extends CsvFormatOptions {
  /** The downloaded file's name. @defaultValue 'customers-template.csv' */
  readonly fileName?: string;
}

/** What {@link useCsvTemplate} returns. */
export interface UseCsvTemplateResult {
  /** The template's text: the header in template column order and two example customers. */
  readonly text: string;
  /** Saves the template as a file (through a temporary link); does nothing outside a browser. */
  readonly download: () => void;
}

/**
 * The customer CSV template (core's `csvTemplate`), ready to download.
 * @param options - File name, and `csvTemplate`'s options (delimiter, BOM, custom field columns).
 * @returns `{ text, download }`.
 * @example
 * const { download } = useCsvTemplate();
 * <button type="button" onClick={download}>Download the CSV template</button>
 */
export function useCsvTemplate(options: UseCsvTemplateOptions = {}): UseCsvTemplateResult {
  const { fileName = 'customers-template.csv', ...templateOptions } = options;
  const optionsKey = JSON.stringify(templateOptions);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the options are compared by value (optionsKey)
  const text = useMemo(() => csvTemplate(templateOptions), [optionsKey]);
  const download = useCallback(
    () => saveFile(new Blob([text], { type: 'text/csv;charset=utf-8' }), fileName),
    [text, fileName],
  );
  return useMemo(() => ({ text, download }), [text, download]);
}
