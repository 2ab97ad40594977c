import { en } from 'zod/locales';
import type * as z from 'zod/mini';

let english: z.core.ParseContext<z.core.$ZodIssue> | undefined;

/**
 * Parse options that word in English the issues a schema leaves to zod (a number out of range, an
 * unknown key): `zod/mini` loads no locale, and setting zod's global config would change the app's.
 * @returns `{ error }` for `safeParse`.
 */
export function englishMessages(): z.core.ParseContext<z.core.$ZodIssue> {
  english ??= { error: en().localeError };
  return english;
}
