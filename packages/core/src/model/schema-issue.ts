import * as z from 'zod/mini';
import type { FieldIssueCode } from '../errors/field-issue-codes';

/** What a transform gets from zod: the value being parsed and the issues raised so far. */
export type SchemaCtx = z.core.ParsePayload;

/**
 * Adds an issue carrying the SDK's code (in `params.code`, read by `toFieldIssues`), at `path`
 * relative to the value, and returns zod's "no value" marker.
 * @param ctx - The transform's payload.
 * @param code - The field issue code.
 * @param message - The message, naming the field.
 * @param path - Where inside the value, when not the value itself.
 * @returns `z.NEVER`.
 */
export function fail(
  ctx: SchemaCtx,
  code: FieldIssueCode,
  message: string,
  path?: (string | number)[],
): never {
  ctx.issues.push({
    code: 'custom',
    message,
    params: { code },
    input: ctx.value,
    ...(path ? { path } : {}),
  });
  return z.NEVER;
}
