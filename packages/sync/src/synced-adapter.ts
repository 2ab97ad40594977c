import {
  type CustomerError,
  type CustomerPatch,
  InvalidArgumentError,
  isCustomerError,
  StorageError,
  uuidv7,
  VersionConflictError,
} from '@donutauto/core';
import {
  backoffDelay,
  type CustomerUpdate,
  checkTombstone,
  resolveRetryOptions,
} from '@donutauto/core/adapter';
import { baseOf } from './field-values';
import { pullChanges } from './pull';
import { pushOutbox } from './push';
import type { SyncContext } from './sync-context';
import { isTransient } from './sync-context';
import { createStatusStore } from './sync-status';
import type { SyncedAdapter, SyncedAdapterOptions } from './sync-types';

/** Background state of one organization. */
interface OrgSync {
  running: Promise<void> | null;
  again: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  failures: number;
  unsubscribe: (() => void) | undefined;
}

/**
 * Creates a `StorageAdapter` for devices that go offline: reads come from `local`; each write is
 * made in `local` and recorded in its durable outbox in the same transaction, then sent to
 * `remote` in the background with its idempotency key and `expectedVersion`; what changed on the
 * server comes back through its change feed. Edits merge per field: edits of different fields on
 * two devices both stay; for one field the later edit (by server time) wins and the one it
 * replaces is reported to `onConflict`; deletes win over edits; a customer added here whose email
 * the server already holds is merged into it by the duplicate policy. The app does nothing more:
 * a reload finds the outbox and sends what is left.
 * @param options - See {@link SyncedAdapterOptions}.
 * @returns The adapter, with `status`, `subscribeStatus`, `sync()` and `close()`.
 * @throws `invalid_argument` when `local` has no outbox or `remote` is not a storage adapter.
 * @example
 * const adapter = createSyncedAdapter({
 *   local: createIndexedDbAdapter(),
 *   remote: createHttpAdapter({ baseUrl: '/api/customers' }),
 *   organizationId: session.organizationId,
 *   onConflict: (c) => console.info('sync conflict', c),
 * });
 * const client = createCustomerClient({ adapter, organizationId: session.organizationId });
 */
export function createSyncedAdapter(options: SyncedAdapterOptions): SyncedAdapter {
  const { local, remote } = options ?? ({} as SyncedAdapterOptions);
  if (!local || typeof local.writeWithOutbox !== 'function' || typeof local.commitSync !== 'function') {
    throw new InvalidArgumentError('local', 'expected a store with an outbox (createIndexedDbAdapter())');
  }
  if (!remote || typeof remote.changesSince !== 'function' || typeof remote.insertMany !== 'function') {
    throw new InvalidArgumentError('remote', 'expected a StorageAdapter (createHttpAdapter({ baseUrl }))');
  }
  const now = options.now ?? Date.now;
  const autoSync = options.autoSync ?? true;
  const intervalMs = options.intervalMs ?? 30_000;
  const backoff = resolveRetryOptions({ minDelayMs: 1_000, maxDelayMs: 60_000, ...options.retry });
  const status = createStatusStore();
  const orgs = new Map<string, OrgSync>();
  let closed = false;

  const context: SyncContext = {
    local,
    remote,
    onDuplicate: options.onDuplicate ?? 'merge',
    now,
    report(conflict) {
      try {
        options.onConflict?.(conflict);
      } catch {
        // The app's handler failing must not stop syncing.
      }
    },
  };

  const refreshPending = async (org: string) => {
    status.dispatch({ type: 'pending', organizationId: org, count: await local.outboxSize(org) });
  };

  /** Registers an organization the app uses: from then on it is synced. */
  function use(org: string): OrgSync {
    let state = orgs.get(org);
    if (!state) {
      state = { running: null, again: false, timer: undefined, failures: 0, unsubscribe: undefined };
      orgs.set(org, state);
      refreshPending(org).catch(() => {});
      if (autoSync && !closed) {
        // The server's own change events bring other devices' edits without waiting for the interval.
        state.unsubscribe = remote.subscribe(org, () => schedule(org, 0));
        schedule(org, 0);
      }
    }
    return state;
  }

  async function step(org: string): Promise<void> {
    status.dispatch({ type: 'step', step: 'pushing', active: true });
    try {
      await pushOutbox(context, org);
    } finally {
      status.dispatch({ type: 'step', step: 'pushing', active: false });
      await refreshPending(org).catch(() => {});
    }
    status.dispatch({ type: 'reached' });
    status.dispatch({ type: 'step', step: 'pulling', active: true });
    try {
      await pullChanges(context, org);
    } finally {
      status.dispatch({ type: 'step', step: 'pulling', active: false });
    }
  }

  /** Runs push and pull for one organization, one run at a time (a call during a run runs again after it). */
  function syncOrg(org: string): Promise<void> {
    const state = use(org);
    if (state.running) {
      state.again = true;
      return state.running;
    }
    const run = (async () => {
      try {
        do {
          state.again = false;
          await step(org);
        } while (state.again && !closed);
        status.dispatch({ type: 'synced', at: now() });
      } catch (error) {
        const failure = isCustomerError(error)
          ? error
          : new StorageError('Syncing failed', error, { retryable: true });
        status.dispatch({ type: 'failed', error: failure as CustomerError, offline: isTransient(error) });
        throw failure;
      } finally {
        state.running = null;
      }
    })();
    state.running = run;
    return run;
  }

  function schedule(org: string, delay: number): void {
    const state = orgs.get(org);
    if (!state || closed || !autoSync) return;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      syncOrg(org).then(
        () => {
          state.failures = 0;
          schedule(org, intervalMs);
        },
        () => {
          state.failures++;
          schedule(org, backoffDelay(state.failures, backoff));
        },
      );
    }, delay);
  }

  const onOnline = () => {
    for (const org of orgs.keys()) schedule(org, 0);
  };
  const events = globalThis as {
    addEventListener?: typeof addEventListener;
    removeEventListener?: typeof removeEventListener;
  };
  if (autoSync) events.addEventListener?.('online', onOnline);
  if (options.organizationId !== undefined) use(options.organizationId);

  /** After a local write: count it, and send it soon. */
  const recorded = (org: string) => {
    use(org);
    refreshPending(org).catch(() => {});
    schedule(org, 0);
  };

  /** The local store, once the organization is registered (the app reading it means it is in use). */
  const reading = (org: string) => {
    use(org);
    return local;
  };

  const newKey = () => uuidv7();

  async function updateLocally(org: string, updates: readonly CustomerUpdate[], updatedAt: number) {
    const stored = await local.writeWithOutbox(org, { type: 'updateMany', updates, updatedAt }, (before) =>
      updates.map((update, i) => ({
        key: newKey(),
        change: {
          type: 'update' as const,
          id: update.id,
          patch: update.patch,
          base: baseOf(before[i]!, update.patch) as CustomerPatch,
          expectedVersion: before[i]!.version,
          updatedAt,
        },
      })),
    );
    recorded(org);
    return stored;
  }

  /** The server's answer, or the local store's when the server cannot be reached. */
  async function serverOrLocal<T>(server: () => Promise<T>, offline: () => Promise<T>): Promise<T> {
    try {
      return await server();
    } catch (error) {
      if (isTransient(error)) return offline();
      throw error;
    }
  }

  const adapter: SyncedAdapter = {
    name: `synced(${local.name}, ${remote.name})`,

    async insertMany(org, customers) {
      await local.writeWithOutbox(org, { type: 'insertMany', customers }, () =>
        customers.map((customer) => ({ key: newKey(), change: { type: 'insert' as const, customer } })),
      );
      recorded(org);
    },
    updateMany: (org, updates, { updatedAt }) => updateLocally(org, updates, updatedAt),
    async update(org, id, patch, writeOptions) {
      const update =
        writeOptions.expectedVersion === undefined
          ? { id, patch }
          : { id, patch, expectedVersion: writeOptions.expectedVersion };
      const [stored] = await updateLocally(org, [update], writeOptions.updatedAt);
      return stored!;
    },
    async delete(org, id) {
      const existed = await local.writeWithOutbox(org, { type: 'delete', id }, (before) =>
        before.length > 0 ? [{ key: newKey(), change: { type: 'delete' as const, id } }] : [],
      );
      if (existed) recorded(org);
      return existed;
    },

    get: (org, id) => reading(org).get(org, id),
    getByEmails: (org, emails) => reading(org).getByEmails(org, emails),
    list: (org, query) => reading(org).list(org, query),
    count: (org, filter) => reading(org).count(org, filter),
    changesSince: (org, cursor, limit) => local.changesSince(org, cursor, limit),
    subscribe: (org, listener) => reading(org).subscribe(org, listener),

    // Consent history and erasure tombstones are the server's: pending writes are pushed first, so
    // the history holds this store's edits too. Offline, the local store's own history answers.
    listConsentHistory: (org, customerId) =>
      serverOrLocal(
        async () => {
          await syncOrg(org);
          return remote.listConsentHistory(org, customerId);
        },
        () => local.listConsentHistory(org, customerId),
      ),
    // An erasure needs the server (it fails offline): the version is checked against what this store
    // shows, pending writes are pushed, then the server's copy is erased, whatever edits it holds.
    async eraseCustomer(org, id, erasure) {
      checkTombstone(org, erasure.tombstone);
      const shown = await local.get(org, id);
      if (shown === undefined) return false;
      if (shown.version !== erasure.expectedVersion) {
        throw new VersionConflictError(id, erasure.expectedVersion, shown.version);
      }
      await syncOrg(org);
      const current = await remote.get(org, id);
      if (current !== undefined) {
        await remote.eraseCustomer(org, id, { ...erasure, expectedVersion: current.version });
      }
      await local.delete(org, id);
      return true;
    },
    // Offline, the local store answers (it knows only its own erasures); see docs/offline-sync.md.
    findErasures: (org, emailHashes) =>
      serverOrLocal(
        () => remote.findErasures(org, emailHashes),
        () => local.findErasures(org, emailHashes),
      ),
    hasErasures: (org) =>
      serverOrLocal(
        () => remote.hasErasures(org),
        () => local.hasErasures(org),
      ),

    // Segments and campaigns are not kept offline: they are the server's.
    insertSegment: (org, segment) => remote.insertSegment(org, segment),
    getSegment: (org, id) => remote.getSegment(org, id),
    listSegments: (org) => remote.listSegments(org),
    updateSegment: (org, id, patch, writeOptions) => remote.updateSegment(org, id, patch, writeOptions),
    deleteSegment: (org, id) => remote.deleteSegment(org, id),
    insertCampaignRun: (org, run) => remote.insertCampaignRun(org, run),
    markCampaignRunPrepared: (org, runId, at) => remote.markCampaignRunPrepared(org, runId, at),
    getCampaignRun: (org, runId) => remote.getCampaignRun(org, runId),
    listCampaignRuns: (org, query) => remote.listCampaignRuns(org, query),
    insertCampaigns: (org, campaigns) => remote.insertCampaigns(org, campaigns),
    claimCampaigns: (org, claim) => remote.claimCampaigns(org, claim),
    updateCampaigns: (org, updates, writeOptions) => remote.updateCampaigns(org, updates, writeOptions),
    listCampaigns: (org, query) => remote.listCampaigns(org, query),

    get status() {
      return status.current;
    },
    subscribeStatus: (listener) => status.subscribe(listener),

    async sync() {
      const all = [...orgs.keys()];
      for (const org of all) await syncOrg(org);
    },

    async close() {
      closed = true;
      events.removeEventListener?.('online', onOnline);
      for (const state of orgs.values()) {
        clearTimeout(state.timer);
        state.unsubscribe?.();
      }
      await Promise.all([...orgs.values()].map((s) => s.running?.catch(() => {})));
    },
  };
  return adapter;
}
