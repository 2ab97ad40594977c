// The wire protocol shared by `@donutauto/adapter-http` (the client) and `@donutauto/server` (the
// handler): route paths, header names, which storage methods read and which write, and the shapes
// of the bodies. One module, imported by both, so the two cannot drift.
import type {
  CsvImportReport,
  ExportCsvOptions,
  ImportCsvOptions,
  ImportIssue,
  ImportProgress,
} from '@donutauto/core';
import type { ChangeEvent, ErrorBody, StorageAdapter, WireError } from '@donutauto/core/adapter';

/**
 * Paths of the routes, relative to where the handler is mounted (the adapter's `baseUrl`). The
 * handler recognises them by their `/v1/…` suffix, so it answers wherever a framework mounts it.
 */
export const ROUTES = {
  /** `POST /v1/rpc/<method>`: one storage method; body {@link RpcRequestBody}, answer {@link RpcResponseBody}. */
  rpc: '/v1/rpc/',
  /** `GET /v1/events`: the organization's change events as Server-Sent Events. */
  events: '/v1/events',
  /** `POST /v1/import?options=<json>`: a CSV body, answered with NDJSON {@link ImportStreamLine}s. */
  import: '/v1/import',
  /** `GET /v1/export?options=<json>`: the organization's customers as a CSV download. */
  export: '/v1/export',
} as const;

/** Header names of the protocol (HTTP header names are case-insensitive). */
export const HEADERS = {
  /**
   * Names one write, so a retried request is carried out once (Stripe's semantics): the same key
   * and the same request get the stored answer; the same key and another request are refused
   * with `idempotency_conflict`. The adapter sends a fresh key with every write.
   */
  idempotencyKey: 'Idempotency-Key',
  /** `true` on an answer replayed from the idempotency store instead of carried out again. */
  replayed: 'Idempotent-Replayed',
  /**
   * Which attempt of a write this is (1, 2, …), sent with its `Idempotency-Key`. A retry (2 or
   * more) whose write turns out to be stored already — by an earlier attempt whose answer was lost —
   * is answered as done; a first attempt is answered as the storage contract says.
   */
  attempt: 'DonutAuto-Attempt',
  /**
   * The organization the client means. Never used to choose the organization (only `authorize`
   * does that): a request whose header differs from the authorized organization is refused with
   * `forbidden`, so a client scoped to the wrong organization fails loudly instead of silently
   * reading another one.
   */
  organization: 'DonutAuto-Organization',
} as const;

/** Media types of the protocol's bodies. */
export const CONTENT_TYPES = {
  /** RPC requests and answers, error bodies. */
  json: 'application/json',
  /** Import progress: one JSON object per line. */
  ndjson: 'application/x-ndjson',
  /** CSV uploads and downloads. */
  csv: 'text/csv',
  /** Change events. */
  eventStream: 'text/event-stream',
} as const;

/** Names of the Server-Sent Events of {@link ROUTES.events}. */
export const EVENT_NAMES = {
  /** Sent once the server listens for the organization's changes; data {@link ReadyEventData}. */
  ready: 'ready',
  /** One change; data {@link ChangeEventData}. */
  change: 'change',
} as const;

/** Data of the `ready` event. */
export interface ReadyEventData {
  /** How often (ms) the server sends a keep-alive comment; silence much longer means a dead link. */
  readonly heartbeatMs: number;
}

/** Data of a `change` event: a `ChangeEvent` without its organization (the stream's own). */
export interface ChangeEventData {
  /** What happened. */
  readonly type: ChangeEvent['type'];
  /** The changed customers' ids; empty means "some changed: refetch". */
  readonly ids: readonly string[];
}

/** Whether a method only reads (retried freely) or writes (sent with an idempotency key). */
export type MethodKind = 'read' | 'write';

/** The `StorageAdapter` methods carried by {@link ROUTES.rpc}: every method but `subscribe` and `close`. */
export type RpcMethod = Exclude<keyof StorageAdapter, 'name' | 'subscribe' | 'close'>;

/** The arguments of an RPC method: the `StorageAdapter` method's, after `organizationId`. */
export type RpcArgs<M extends RpcMethod> = StorageAdapter[M] extends (
  organizationId: string,
  ...args: infer A
) => unknown
  ? A
  : never;

/** What an RPC method resolves to. */
export type RpcResult<M extends RpcMethod> = Awaited<ReturnType<StorageAdapter[M]>>;

/** A table of one contract part's methods and their kinds. */
export type MethodTable<M extends RpcMethod> = { readonly [K in M]: MethodKind };

/** The customers part of the storage contract. */
export const CUSTOMER_METHODS = {
  insertMany: 'write',
  updateMany: 'write',
  update: 'write',
  delete: 'write',
  get: 'read',
  getByEmails: 'read',
  list: 'read',
  count: 'read',
} as const satisfies Partial<MethodTable<RpcMethod>>;

/** The campaigns part of the storage contract. */
export const CAMPAIGN_METHODS = {
  insertCampaignRun: 'write',
  markCampaignRunPrepared: 'write',
  getCampaignRun: 'read',
  listCampaignRuns: 'read',
  insertCampaigns: 'write',
  claimCampaigns: 'write',
  updateCampaigns: 'write',
  listCampaigns: 'read',
} as const satisfies Partial<MethodTable<RpcMethod>>;

/** The segments part of the storage contract. */
export const SEGMENT_METHODS = {
  insertSegment: 'write',
  getSegment: 'read',
  listSegments: 'read',
  updateSegment: 'write',
  deleteSegment: 'write',
} as const satisfies Partial<MethodTable<RpcMethod>>;

/** The consent and privacy part of the storage contract. */
export const CONSENT_METHODS = {
  listConsentHistory: 'read',
  eraseCustomer: 'write',
  findErasures: 'read',
  hasErasures: 'read',
} as const satisfies Partial<MethodTable<RpcMethod>>;

/** The change-feed part of the storage contract. */
export const CHANGE_METHODS = {
  changesSince: 'read',
} as const satisfies Partial<MethodTable<RpcMethod>>;

/**
 * Every RPC method and its kind: one table per part of the storage contract. A new part of the
 * contract (a new interface `StorageAdapter` extends) adds its table here; until it does, this
 * constant does not type-check.
 */
export const RPC_METHODS: MethodTable<RpcMethod> = {
  ...CUSTOMER_METHODS,
  ...SEGMENT_METHODS,
  ...CAMPAIGN_METHODS,
  ...CONSENT_METHODS,
  ...CHANGE_METHODS,
};

/** Body of an RPC request: the method's arguments after `organizationId`, in order. */
export interface RpcRequestBody<M extends RpcMethod = RpcMethod> {
  /** The arguments. */
  readonly args: RpcArgs<M>;
}

/** Body of a successful RPC answer: `result` is absent when the method returned `undefined`. */
export interface RpcResponseBody<M extends RpcMethod = RpcMethod> {
  /** What the method returned. */
  readonly result?: RpcResult<M>;
}

/** The JSON-safe options of a server-side import (`options` query parameter of {@link ROUTES.import}). */
export type ImportRequestOptions = Omit<
  ImportCsvOptions,
  'signal' | 'onProgress' | 'onIssue' | 'onRejectedCsv'
>;

/**
 * What the answer of an import streams besides progress and the report, asked for in the `options`
 * query parameter next to the import's own options (the server takes these keys out).
 */
export interface ImportStreamRequest {
  /** Send every issue as an `issue` line, as the import finds it (the report keeps the first `maxIssues`). */
  readonly streamIssues?: boolean;
  /** Send the refused rows as `rejected` lines of CSV (core's `onRejectedCsv` chunks). */
  readonly streamRejectedCsv?: boolean;
}

/** The options of a server-side export (`options` query parameter of {@link ROUTES.export}). */
export type ExportRequestOptions = ExportCsvOptions;

/**
 * One line of an import's answer: progress after each batch, issues and refused-row CSV chunks
 * when asked for ({@link ImportStreamRequest}), then the report, or an error (with the last
 * progress, which says how many rows were written before it).
 */
export type ImportStreamLine =
  | { readonly type: 'progress'; readonly progress: ImportProgress }
  | { readonly type: 'issue'; readonly issue: ImportIssue }
  | { readonly type: 'rejected'; readonly csv: string }
  | { readonly type: 'report'; readonly report: CsvImportReport }
  | { readonly type: 'error'; readonly error: WireError; readonly progress?: ImportProgress };

/** The query parameter holding a CSV route's options, as JSON. */
export const OPTIONS_PARAM = 'options';

export type { ErrorBody, WireError };
