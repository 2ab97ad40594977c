import type { CONSENT_METHODS } from '@donutauto/adapter-http/protocol';
import { checkTombstone } from '@donutauto/core/adapter';
import * as z from 'zod';
import { storableText } from './campaign-routes';
import { checkTimestamp, type RouteTable, route } from './rpc-route';

const id = storableText(200).min(1);
const hash = z.string().regex(/^[0-9a-f]{64}$/, 'expected a hex SHA-256');
/** Hashes looked up at once: an import batch's emails. */
const MAX_HASHES = 10_000;

const erasure = z.strictObject({
  tombstone: z.strictObject({
    organizationId: z.string(),
    emailHash: hash,
    erasedAt: z.number().int().nonnegative(),
  }),
  expectedVersion: z.number().int().positive(),
});

/**
 * The consent part of the storage contract over HTTP. Consent history is written by the customer
 * routes' writes; these read it, erase a customer (the tombstone must be the authorized
 * organization's and not dated ahead of the server's clock) and look tombstones up.
 */
export const consentRoutes: RouteTable<keyof typeof CONSENT_METHODS> = {
  listConsentHistory: route(z.tuple([id]), (context, [customerId]) =>
    context.adapter.listConsentHistory(context.organizationId, customerId),
  ),

  eraseCustomer: route(z.tuple([id, erasure]), async (context, [customerId, request]) => {
    checkTombstone(context.organizationId, request.tombstone);
    checkTimestamp(context, request.tombstone.erasedAt, 'args[1].tombstone.erasedAt');
    const erased = await context.adapter.eraseCustomer(context.organizationId, customerId, request);
    if (erased || !context.retried) return erased;
    // A retry whose first attempt erased the customer (and lost its answer) finds its own tombstone.
    const [found] = await context.adapter.findErasures(context.organizationId, [request.tombstone.emailHash]);
    return found?.erasedAt === request.tombstone.erasedAt;
  }),

  findErasures: route(z.tuple([z.array(hash).max(MAX_HASHES)]), (context, [hashes]) =>
    context.adapter.findErasures(context.organizationId, hashes),
  ),

  hasErasures: route(z.tuple([]), (context) => context.adapter.hasErasures(context.organizationId)),
};
