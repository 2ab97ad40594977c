import type { CUSTOMER_METHODS } from '@donutauto/adapter-http/protocol';
import {
  CUSTOMER_SORTS,
  type Customer,
  type CustomerFilter,
  type CustomerPatch,
  type CustomFieldDefinition,
  customerSchema,
  type FieldIssue,
  InvalidArgumentError,
  isCustomerError,
  MAX_PAGE_SIZE,
  ValidationError,
  validateCustomerPatch,
} from '@donutauto/core';
import {
  checkCustomFields,
  type NormalizedFilter,
  normalizeEmail,
  normalizeFilter,
  toFieldIssues,
} from '@donutauto/core/adapter';
import * as z from 'zod';
import { checkBatchSize, checkTimestamp, type RouteContext, type RouteTable, route } from './rpc-route';

const id = z.string().min(1).max(200);
const timestamp = z.number().int().nonnegative();
const version = z.number().int().positive();
const writeOptions = z.strictObject({ expectedVersion: version.optional(), updatedAt: timestamp });

/**
 * The customers part of the storage contract over HTTP. Each route checks what a client could
 * forge before the adapter sees it: customers through `customerSchema` (normalized as the schema
 * outputs them), their organization (the authorized one only), a new customer's version (1) and
 * timestamps (not ahead of the server's clock), patches through `validateCustomerPatch`, filters
 * through `normalizeFilter`, custom fields against the organization's definitions, and batch sizes.
 */
export const customerRoutes: RouteTable<keyof typeof CUSTOMER_METHODS> = {
  insertMany: route(z.tuple([z.array(z.unknown())]), async (context, [raw]) => {
    checkBatchSize(context, raw.length, 'customers');
    // As every adapter does: the organization is checked before anything else about the batch.
    raw.forEach((customer, index) => {
      const organizationId = (customer as { organizationId?: unknown } | null)?.organizationId;
      if (organizationId !== context.organizationId) {
        throw new InvalidArgumentError(
          `customers[${index}].organizationId`,
          'belongs to another organization',
        );
      }
    });
    const definitions = await context.definitions();
    const customers = raw.map((customer, index) => newCustomer(context, customer, index, definitions));
    try {
      await context.adapter.insertMany(context.organizationId, customers);
    } catch (error) {
      // A retry whose first attempt was stored (before a restart lost its remembered answer) finds
      // its own customers: the batch is atomic, so all of them, by id and createdAt.
      const maybeStored =
        isCustomerError(error, 'duplicate_email') || isCustomerError(error, 'storage_failed');
      if (!context.retried || !maybeStored || !(await allStored(context, customers))) throw error;
    }
  }),

  updateMany: route(
    z.tuple([
      z.array(z.strictObject({ id, patch: z.unknown(), expectedVersion: version.optional() })),
      z.strictObject({ updatedAt: timestamp }),
    ]),
    async (context, [raw, { updatedAt }]) => {
      checkBatchSize(context, raw.length, 'updates');
      checkTimestamp(context, updatedAt, 'options.updatedAt');
      const definitions = await context.definitions();
      const updates = raw.map((update, index) => ({
        id: update.id,
        patch: checkPatch(update.patch, definitions, ['updates', index, 'patch']),
        ...(update.expectedVersion === undefined ? {} : { expectedVersion: update.expectedVersion }),
      }));
      return context.adapter.updateMany(context.organizationId, updates, { updatedAt });
    },
  ),

  update: route(z.tuple([id, z.unknown(), writeOptions]), async (context, [customerId, raw, options]) => {
    checkTimestamp(context, options.updatedAt, 'options.updatedAt');
    const patch = checkPatch(raw, await context.definitions(), []);
    const { expectedVersion, updatedAt } = options;
    // No "already applied" guess on a version conflict: another client may have written the same
    // values in the same millisecond, and answering success would lose its update.
    return context.adapter.update(context.organizationId, customerId, patch, {
      updatedAt,
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
    });
  }),

  delete: route(z.tuple([id]), (context, [customerId]) =>
    context.adapter.delete(context.organizationId, customerId),
  ),

  get: route(z.tuple([id]), (context, [customerId]) =>
    context.adapter.get(context.organizationId, customerId),
  ),

  getByEmails: route(z.tuple([z.array(z.string().max(1_000))]), (context, [emails]) => {
    checkBatchSize(context, emails.length, 'emails');
    return context.adapter.getByEmails(context.organizationId, emails.map(normalizeEmail));
  }),

  list: route(
    z.tuple([
      z.strictObject({
        numItems: z.number().int().min(1).max(MAX_PAGE_SIZE),
        // Its length and form are the adapter's to judge (`invalid_cursor`); the body limit bounds it.
        cursor: z.string().nullable(),
        filter: z.unknown(),
        sort: z.enum(CUSTOMER_SORTS),
      }),
    ]),
    async (context, [query]) => {
      const page = await context.adapter.list(context.organizationId, {
        numItems: query.numItems,
        cursor: context.cursors.open(query.cursor),
        filter: await checkedFilter(context, query.filter),
        sort: query.sort,
      });
      return { ...page, continueCursor: context.cursors.sign(page.continueCursor) };
    },
  ),

  count: route(z.tuple([z.unknown()]), async (context, [filter]) =>
    context.adapter.count(context.organizationId, await checkedFilter(context, filter)),
  ),
};

/**
 * A filter from a client, through `normalizeFilter` with the organization's definitions and the
 * server's clock (the client sends the canonical form, which normalizes to itself, so the cursors
 * it was given stay bound to it).
 */
async function checkedFilter(context: RouteContext, filter: unknown): Promise<NormalizedFilter> {
  const customFields = await context.definitions();
  return normalizeFilter(filter as CustomerFilter, {
    now: context.now(),
    ...(customFields ? { customFields } : {}),
  });
}

/** A built customer from a client: schema-valid, this organization's, at version 1, not from the future. */
function newCustomer(
  context: RouteContext,
  raw: unknown,
  index: number,
  definitions: readonly CustomFieldDefinition[] | undefined,
): Customer {
  const result = customerSchema.safeParse(raw);
  if (!result.success)
    throw new ValidationError(prefix(toFieldIssues(result.error.issues), ['customers', index]));
  const customer = result.data;
  if (!id.safeParse(customer.id).success) {
    throw new InvalidArgumentError(`customers[${index}].id`, 'expected 1–200 characters');
  }
  if (customer.version !== 1) {
    throw new InvalidArgumentError(`customers[${index}].version`, 'a new customer starts at version 1');
  }
  if (customer.updatedAt < customer.createdAt) {
    throw new InvalidArgumentError(`customers[${index}].updatedAt`, 'is before createdAt');
  }
  // updatedAt >= createdAt: bounding it bounds both.
  checkTimestamp(context, customer.updatedAt, `customers[${index}].updatedAt`);
  const issues = checkCustomFields(customer.customFields, definitions);
  if (issues.length) throw new ValidationError(prefix(issues, ['customers', index]));
  return customer;
}

/** A patch from a client, validated and normalized, custom fields checked against the definitions. */
function checkPatch(
  raw: unknown,
  definitions: readonly CustomFieldDefinition[] | undefined,
  path: readonly (string | number)[],
): CustomerPatch {
  let patch: CustomerPatch;
  try {
    patch = validateCustomerPatch(raw);
  } catch (error) {
    if (error instanceof ValidationError)
      throw new ValidationError(prefix(error.issues, path), { cause: error });
    throw error;
  }
  if (patch.customFields !== undefined) {
    const issues = checkCustomFields(patch.customFields, definitions, true);
    if (issues.length) throw new ValidationError(prefix(issues, path));
  }
  return patch;
}

function prefix(issues: readonly FieldIssue[], path: readonly (string | number)[]): FieldIssue[] {
  return path.length === 0
    ? [...issues]
    : issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] }));
}

/** Whether every customer of a batch is stored under its id with its createdAt. */
async function allStored(context: RouteContext, customers: readonly Customer[]): Promise<boolean> {
  if (customers.length === 0) return false;
  // The ends first: a batch that was not stored is ruled out in one or two reads.
  const order = [customers[0]!, customers[customers.length - 1]!, ...customers];
  for (const customer of order) {
    const stored = await context.adapter.get(context.organizationId, customer.id);
    if (stored?.createdAt !== customer.createdAt) return false;
  }
  return true;
}
