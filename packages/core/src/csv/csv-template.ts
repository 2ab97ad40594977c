import type { CustomerData } from '../model/customer-schema';
import { customersToCsv } from './csv-export';
import { type CsvFormatOptions, resolveExportOptions } from './export-options';

/** The two example customers of {@link csvTemplate}, exactly as `parseCustomerCsv` reads them back. */
export const CSV_TEMPLATE_EXAMPLES: readonly CustomerData[] = /* @__PURE__ */ Object.freeze([
  {
    firstName: 'Ana',
    lastName: 'Li',
    email: 'ana.li@example.com',
    phone: '5550100199',
    dob: '1990-03-15',
    preferences: ['glazed', 'chocolate', 'vegan'],
    instagramHandle: '@ana.bakes',
    tiktokHandle: null,
    twitterHandle: null,
    gender: 'female',
    location: 'Downtown',
    notes: 'Allergic to nuts',
    tags: ['vip', 'newsletter'],
    customFields: {},
  },
  {
    firstName: 'Ben',
    lastName: "O'Neil",
    email: 'ben.oneil@example.com',
    phone: '07700900123',
    dob: '--11-02',
    preferences: ['coffee'],
    instagramHandle: null,
    tiktokHandle: '@bendonuts',
    twitterHandle: '@ben_oneil',
    gender: null,
    location: 'Harbour',
    notes: null,
    tags: [],
    customFields: {},
  },
]);

/**
 * Produces the customer CSV template: an RFC 4180 header in template column order plus two
 * example rows (the preferences example is quoted because it holds commas). `parseCustomerCsv`
 * reads it back into exactly {@link CSV_TEMPLATE_EXAMPLES}.
 * @param options - Delimiter, line break, BOM, and custom field columns to include.
 * @returns The template text.
 * @throws `invalid_argument` naming a bad option.
 * @example
 * const blob = new Blob([csvTemplate()], { type: 'text/csv' });
 */
export function csvTemplate(options?: CsvFormatOptions): string {
  resolveExportOptions(options, true);
  return customersToCsv(CSV_TEMPLATE_EXAMPLES, {
    ...options,
    customFieldKeys: options?.customFieldKeys ?? [],
  });
}
