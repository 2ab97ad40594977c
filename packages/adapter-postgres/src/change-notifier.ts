import type { ChangeEvent, ChangeListener } from '@donutauto/core';
import type { QueryDriver } from './query-driver';
import { channelFor, type SqlNames } from './sql/sql-names';

/** NOTIFY payloads must stay under 8000 bytes; beyond this the ids are dropped ("refetch"). */
const MAX_PAYLOAD_BYTES = 7_500;
const UTF8 = new TextEncoder();

/**
 * Builds the NOTIFY payload of a change: the ids when they fit, otherwise `ids: []`, which
 * `ChangeEvent` defines as "some customers changed; refetch".
 * @param event - The change.
 * @returns JSON text under the NOTIFY size limit.
 */
export function encodeChange(event: ChangeEvent): string {
  if (idsMayFit(event.ids)) {
    const full = JSON.stringify({ type: event.type, organizationId: event.organizationId, ids: event.ids });
    // UTF-8 never takes fewer bytes than UTF-16 code units: a long text is over the limit unencoded.
    if (full.length <= MAX_PAYLOAD_BYTES && UTF8.encode(full).length <= MAX_PAYLOAD_BYTES) return full;
  }
  return JSON.stringify({ type: event.type, organizationId: event.organizationId, ids: [] });
}

/**
 * Whether the ids could fit a payload: each takes at least its length plus quotes and a comma, so a
 * batch of many ids is over the limit without serializing it.
 */
function idsMayFit(ids: readonly string[]): boolean {
  let least = 0;
  for (const id of ids) {
    least += id.length + 3;
    if (least > MAX_PAYLOAD_BYTES) return false;
  }
  return true;
}

function decodeChange(payload: string): ChangeEvent | undefined {
  try {
    const parsed = JSON.parse(payload) as Partial<ChangeEvent>;
    const typeOk = parsed.type === 'insert' || parsed.type === 'update' || parsed.type === 'delete';
    if (!typeOk || typeof parsed.organizationId !== 'string' || !Array.isArray(parsed.ids)) return undefined;
    return {
      type: parsed.type as ChangeEvent['type'],
      organizationId: parsed.organizationId,
      ids: parsed.ids.map(String),
    };
  } catch {
    return undefined;
  }
}

function deliverTo(listeners: ReadonlySet<ChangeListener>, event: ChangeEvent): void {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch {
      // A failing subscriber must not break the others.
    }
  }
}

/**
 * Per-organization LISTEN subscriptions over one driver: the first subscriber of an organization
 * LISTENs on its channel, the last one UNLISTENs. Writes call {@link ChangeNotifier.ready} first so
 * a subscriber registered before a write always receives its event. When the LISTEN connection
 * comes back after a loss, every subscriber gets a refetch event (`ids: []`): changes made while
 * it was down were not announced.
 */
export class ChangeNotifier {
  readonly #driver: QueryDriver;
  readonly #names: SqlNames;
  readonly #orgs = new Map<
    string,
    { listeners: Set<ChangeListener>; stop: Promise<(() => Promise<void>) | undefined> }
  >();
  readonly #pending = new Set<Promise<unknown>>();

  /**
   * @param driver - Where to LISTEN.
   * @param names - The adapter's names (channel prefix).
   */
  constructor(driver: QueryDriver, names: SqlNames) {
    this.#driver = driver;
    this.#names = names;
    let previous = driver.connection.status.state;
    driver.connection.subscribe(({ state }) => {
      if (state === 'connected' && previous === 'reconnecting') this.#refetchAll();
      previous = state;
    });
  }

  /** Resolves when every LISTEN requested so far is active. */
  async ready(): Promise<void> {
    if (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  /**
   * Adds a listener for one organization.
   * @returns A function that removes it.
   */
  subscribe(organizationId: string, listener: ChangeListener): () => void {
    let entry = this.#orgs.get(organizationId);
    if (!entry) {
      const listeners = new Set<ChangeListener>();
      const deliver = (payload: string) => {
        const event = decodeChange(payload);
        if (event && event.organizationId === organizationId) deliverTo(listeners, event);
      };
      const stop = this.#track(
        this.#driver.listen(channelFor(this.#names, organizationId), deliver).catch(() => undefined),
      );
      entry = { listeners, stop };
      this.#orgs.set(organizationId, entry);
    }
    const current = entry;
    current.listeners.add(listener);
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0 && this.#orgs.get(organizationId) === current) {
        this.#orgs.delete(organizationId);
        void this.#track(current.stop.then((stop) => stop?.()).catch(() => undefined));
      }
    };
  }

  /** Stops every subscription. */
  async close(): Promise<void> {
    const entries = [...this.#orgs.values()];
    this.#orgs.clear();
    await Promise.all(entries.map((e) => e.stop.then((stop) => stop?.())));
    await this.ready();
  }

  /** Tells every subscriber that changes may have been missed. */
  #refetchAll(): void {
    for (const [organizationId, { listeners }] of this.#orgs) {
      deliverTo(listeners, { type: 'update', organizationId, ids: [] });
    }
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#pending.add(promise);
    const forget = () => {
      this.#pending.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }
}
