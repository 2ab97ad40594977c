import type { SEGMENT_METHODS } from '@donutauto/adapter-http/protocol';
import { type CustomerFilter, type CustomFieldDefinition, InvalidArgumentError } from '@donutauto/core';
import {
  canonicalizeFilter,
  checkSegmentOrganization,
  SEGMENT_FILTER_VERSION,
  type StoredSegment,
} from '@donutauto/core/adapter';
import * as z from 'zod';
import { storableText } from './campaign-routes';
import { checkTimestamp, type RouteContext, type RouteTable, route } from './rpc-route';

const id = storableText(200).min(1);
const name = storableText(100).min(1);
const timestamp = z.number().int().nonnegative();
const filterVersion = z.number().int().min(1).max(1_000);
/** A saved filter is JSON data; this bounds its size (the core's filters are a few hundred bytes). */
const MAX_FILTER_JSON = 64 * 1024;
const filter = z
  .record(z.string(), z.unknown())
  .refine(
    (value) => JSON.stringify(value).length <= MAX_FILTER_JSON,
    `at most ${MAX_FILTER_JSON} characters as JSON`,
  );

const segment = z.strictObject({
  id,
  organizationId: z.string(),
  name,
  filter,
  filterVersion,
  createdAt: timestamp,
  updatedAt: timestamp,
  version: z.number().int().positive(),
});

/**
 * Checks a filter this SDK's format version names with the same rules the client applies to a
 * segment's filter (and the organization's custom field definitions); the filter is stored as sent.
 * A filter in another format version (written by another SDK release) is stored as JSON data.
 */
function checkFilter(
  value: Readonly<Record<string, unknown>>,
  version: number,
  definitions: readonly CustomFieldDefinition[] | undefined,
  path: string,
): void {
  if (version !== SEGMENT_FILTER_VERSION) return;
  canonicalizeFilter(value as CustomerFilter, {
    ...(definitions ? { customFields: definitions } : {}),
    path,
  });
}

/**
 * The segments part of the storage contract over HTTP: a segment must be the authorized
 * organization's (the core's own check), its name 1–100 characters of storable text, its filter
 * valid in its format (checked, stored as sent), its timestamps not ahead of the server's clock.
 */
export const segmentRoutes: RouteTable<keyof typeof SEGMENT_METHODS> = {
  insertSegment: route(z.tuple([segment]), async (context, [raw]) => {
    const checked: StoredSegment = raw;
    checkSegmentOrganization(context.organizationId, checked);
    checkTimestamp(context, raw.createdAt, 'segment.createdAt');
    checkTimestamp(context, raw.updatedAt, 'segment.updatedAt');
    checkFilter(raw.filter, raw.filterVersion, await context.definitions(), 'segment.filter');
    try {
      await context.adapter.insertSegment(context.organizationId, checked);
    } catch (error) {
      // A retry whose first attempt was stored (its answer lost with a restart) finds it.
      if (!context.retried) throw error;
      const stored = await context.adapter.getSegment(context.organizationId, raw.id).catch(() => undefined);
      if (stored?.createdAt !== raw.createdAt) throw error;
    }
  }),

  getSegment: route(z.tuple([id]), (context, [segmentId]) =>
    context.adapter.getSegment(context.organizationId, segmentId),
  ),

  listSegments: route(z.tuple([]), (context) => context.adapter.listSegments(context.organizationId)),

  updateSegment: route(
    z.tuple([
      id,
      z.strictObject({
        name: name.optional(),
        filter: filter.optional(),
        filterVersion: filterVersion.optional(),
      }),
      z.strictObject({ expectedVersion: z.number().int().positive().optional(), updatedAt: timestamp }),
    ]),
    async (context: RouteContext, [segmentId, patch, options]) => {
      checkTimestamp(context, options.updatedAt, 'options.updatedAt');
      if (patch.filter !== undefined) {
        if (patch.filterVersion === undefined) {
          throw new InvalidArgumentError('patch.filterVersion', 'is required with a filter');
        }
        checkFilter(patch.filter, patch.filterVersion, await context.definitions(), 'patch.filter');
      }
      return context.adapter.updateSegment(
        context.organizationId,
        segmentId,
        {
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.filter === undefined
            ? {}
            : { filter: patch.filter, filterVersion: patch.filterVersion! }),
        },
        {
          updatedAt: options.updatedAt,
          ...(options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion }),
        },
      );
    },
  ),

  deleteSegment: route(z.tuple([id]), (context, [segmentId]) =>
    context.adapter.deleteSegment(context.organizationId, segmentId),
  ),
};
