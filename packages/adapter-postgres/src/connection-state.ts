/**
 * State of the connection that carries the adapter's change events (LISTEN):
 * - `idle` — nothing subscribed yet, so nothing listens.
 * - `connecting` — the first LISTEN connection is being opened.
 * - `connected` — listening: every committed change is announced to subscribers.
 * - `reconnecting` — the connection dropped (or could not be opened); changes made meanwhile are
 *   not announced. The adapter retries with backoff and, once listening again, sends every
 *   subscriber a refetch event (`ids: []`).
 * - `failed` — the connection is gone for good: a `pg.Client` passed as `db` cannot reconnect.
 * - `closed` — `close()` was called.
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

/** One observed {@link ConnectionState}, with what an app needs to show or log it. */
export interface ConnectionStatus {
  /** The state. */
  readonly state: ConnectionState;
  /** Why the last connection ended or could not be opened (`reconnecting`, `failed`). */
  readonly error?: unknown;
  /** The number of the next reconnection attempt, from 1 (`reconnecting`). */
  readonly attempt?: number;
  /** Milliseconds until that attempt (`reconnecting`). */
  readonly retryInMs?: number;
}

/** Receives each new {@link ConnectionStatus}. */
export type ConnectionStateListener = (status: ConnectionStatus) => void;

/** Holds the current status and tells listeners of each change: the one place the status changes. */
export class ConnectionMonitor {
  #status: ConnectionStatus = { state: 'idle' };
  readonly #listeners = new Set<ConnectionStateListener>();

  /** The current status (a new object after each change, so it can serve as a snapshot). */
  get status(): ConnectionStatus {
    return this.#status;
  }

  /**
   * Registers a listener for later changes.
   * @returns A function that removes it.
   */
  subscribe(listener: ConnectionStateListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Records a new status and tells every listener; a throwing listener does not stop the others. */
  set(status: ConnectionStatus): void {
    if (this.#status.state === 'closed') return;
    this.#status = status;
    for (const listener of [...this.#listeners]) {
      try {
        listener(status);
      } catch {
        // An app's listener must not break the adapter's reconnection.
      }
    }
  }
}
