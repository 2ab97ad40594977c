import type { CampaignContent, CampaignFailure, CampaignRecord, CampaignRun } from '@donutauto/core';
import type { CampaignCounts } from '@donutauto/core/adapter';
import { toArrayLiteral } from './sql/array-literal';

/** A row as both drivers return it: jsonb parsed (or text), bigint possibly as text. */
export type Row = Record<string, unknown>;

function json(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** Rebuilds content in its exact shape (jsonb reorders keys; absent optional keys stay absent). */
function contentOf(value: unknown): CampaignContent | null {
  const raw = json(value) as {
    text?: unknown;
    subject?: unknown;
    assets?: { url?: unknown; mediaType?: unknown; alt?: unknown }[];
  } | null;
  if (raw === null || raw === undefined) return null;
  return {
    text: String(raw.text ?? ''),
    ...(raw.subject === undefined ? {} : { subject: String(raw.subject) }),
    ...(raw.assets === undefined
      ? {}
      : {
          assets: raw.assets.map((a) => ({
            url: String(a.url),
            ...(a.mediaType === undefined ? {} : { mediaType: String(a.mediaType) }),
            ...(a.alt === undefined ? {} : { alt: String(a.alt) }),
          })),
        }),
  };
}

function errorOf(value: unknown): CampaignFailure | null {
  const raw = json(value) as { code?: unknown; message?: unknown } | null;
  if (raw === null || raw === undefined) return null;
  return { code: String(raw.code), message: String(raw.message) };
}

/**
 * Turns a campaigns row into a fresh record.
 * @param row - A row selected with `CAMPAIGN_COLUMNS`.
 * @returns The record.
 */
export function rowToCampaign(row: Row): CampaignRecord {
  return {
    id: String(row.id),
    organizationId: String(row.organization_id),
    customerId: String(row.customer_id),
    runId: String(row.run_id),
    title: String(row.title),
    contentType: String(row.content_type) as CampaignRecord['contentType'],
    platform: String(row.platform) as CampaignRecord['platform'],
    status: String(row.status) as CampaignRecord['status'],
    content: contentOf(row.content),
    error: errorOf(row.error),
    attempts: Number(row.attempts),
    leaseOwner: row.lease_owner === null || row.lease_owner === undefined ? null : String(row.lease_owner),
    leaseExpiresAt: nullableNumber(row.lease_expires_at),
    version: Number(row.version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/**
 * Turns a runs row (with its `counts` JSON) into a run.
 * @param row - A row of `getRunSql` / `listRunsSql`.
 * @returns The run.
 */
export function rowToRun(row: Row): CampaignRun {
  const byStatus = (json(row.counts) ?? {}) as Record<string, unknown>;
  const n = (status: string) => Number(byStatus[status] ?? 0);
  const counts: CampaignCounts = {
    total: Object.values(byStatus).reduce<number>((sum, v) => sum + Number(v), 0),
    queued: n('queued'),
    inProgress: n('in_progress'),
    completed: n('completed'),
    failed: n('failed'),
    cancelled: n('cancelled'),
    skipped: n('skipped'),
  };
  return {
    id: String(row.id),
    organizationId: String(row.organization_id),
    request: json(row.request) as CampaignRun['request'],
    preparedAt: nullableNumber(row.prepared_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    counts,
  };
}

/**
 * Lays a batch of records out column by column (array literals for `unnest`), in the parameter
 * order of `insertCampaignsSql` ($2…).
 * @param records - The batch.
 * @returns The parameters.
 */
export function campaignColumns(records: readonly CampaignRecord[]): string[] {
  const column = (value: (r: CampaignRecord) => string | null) => toArrayLiteral(records.map(value));
  const jsonOrNull = (v: unknown) => (v === null ? null : JSON.stringify(v));
  return [
    column((r) => r.id),
    column((r) => r.customerId),
    column((r) => r.runId),
    column((r) => r.title),
    column((r) => r.contentType),
    column((r) => r.platform),
    column((r) => r.status),
    column((r) => jsonOrNull(r.content)),
    column((r) => jsonOrNull(r.error)),
    column((r) => String(r.attempts)),
    column((r) => r.leaseOwner),
    column((r) => (r.leaseExpiresAt === null ? null : String(r.leaseExpiresAt))),
    column((r) => String(r.version)),
    column((r) => String(r.createdAt)),
    column((r) => String(r.updatedAt)),
  ];
}
