import type * as z from 'zod/mini';

/** A bound's unit in a message: characters of text, items of a list, nothing for a number. */
function unit(origin: string): string {
  return origin === 'string' ? ' characters' : origin === 'array' ? ' items' : '';
}

/**
 * Words an issue that a schema leaves to zod (a wrong type, a bound without its own message, an
 * unknown key) in the SDK's `expected …` style. `zod/mini` loads no locale, and zod's global
 * config belongs to the app, so the campaign checks pass this per parse.
 */
function describeIssue(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_big':
      return `expected ${issue.inclusive === false ? 'less than' : 'at most'} ${issue.maximum}${unit(issue.origin)}`;
    case 'too_small':
      return `expected ${issue.inclusive === false ? 'more than' : 'at least'} ${issue.minimum}${unit(issue.origin)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown propert${issue.keys.length === 1 ? 'y' : 'ies'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_union':
      return 'expected one of the accepted forms';
    default:
      return 'invalid value';
  }
}

/** Parse options giving every issue a message (see `describeIssue`), for `safeParse`. */
export const ISSUE_MESSAGES: z.core.ParseContext<z.core.$ZodIssue> = { error: describeIssue };
