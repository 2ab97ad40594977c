import { type CustomerError, InvalidArgumentError } from '../errors/customer-error';
import { objectArgument } from '../errors/object-argument';
import type { EditableField } from '../model/customer-fields';
import type { Customer, CustomerPatch } from '../model/customer-schema';
import { createUpdateQueue } from '../updates/update-queue';
import type { UpdateQueueOptions, UpdateStatus } from '../updates/update-queue-types';
import type { SlimCustomerClient } from './slim-client';

/** Options of `client.createEditor`: the update queue's, minus the wiring. */
export type CustomerEditorOptions = Omit<UpdateQueueOptions, 'save' | 'onConflict'>;

/**
 * Called when the editor's status or its known stored customer changes.
 * @param status - The current save status.
 */
export type CustomerEditorListener = (status: UpdateStatus) => void;

/**
 * Real-time editing of one customer: edits are validated at once, coalesced and saved through the
 * client's `update` with `expectedVersion`. When another client changed the customer meanwhile, the
 * editor re-reads it and saves only the fields edited here again (per-field last-writer-wins: fields
 * edited here win, fields edited elsewhere are kept).
 */
export interface CustomerEditor {
  /** The customer's id. */
  readonly id: string;
  /**
   * Reads the stored customer; its `version` is the one the next save expects.
   * @returns The stored customer.
   * @throws `not_found` when absent or in another organization.
   */
  load(): Promise<Customer>;
  /**
   * The newest stored customer the editor knows (from `load`, a save or a conflict re-read).
   * @returns It, or `undefined` before the first load or save.
   */
  stored(): Customer | undefined;
  /**
   * Queues one field's new value (see `UpdateQueue.set`). Never throws for bad input.
   * @param field - An editable field.
   * @param value - The value as typed; `''` or `null` clears an optional field.
   * @returns `undefined` when queued; otherwise the `forbidden_field`, `validation_failed` or
   * `invalid_argument` error, and nothing is queued.
   */
  set(field: EditableField | string, value: unknown): CustomerError | undefined;
  /**
   * The save status.
   * @returns `idle`, `pending`, `saving`, `saved` or `error`, with the error and unsaved fields.
   */
  status(): UpdateStatus;
  /**
   * Edits not stored yet, newest value per field.
   * @returns The normalized values; `{}` when everything is stored.
   */
  pendingPatch(): CustomerPatch;
  /**
   * Calls `listener` whenever the status or the known stored customer changes.
   * @param listener - Receives the current status.
   * @returns A function that unsubscribes.
   * @throws `invalid_argument` when `listener` is not a function.
   */
  subscribe(listener: CustomerEditorListener): () => void;
  /**
   * Saves now.
   * @returns A promise that resolves once every edit made before the call is stored.
   * @throws The save's error when it cannot be stored (`validation_failed`, `not_found`, or the last
   * transient error once retries are exhausted).
   */
  flush(): Promise<void>;
  /**
   * Refuses new edits, saves what is pending, then stops the timers.
   * @returns A promise settled like {@link CustomerEditor.flush}'s.
   * @throws Like {@link CustomerEditor.flush}.
   */
  dispose(): Promise<void>;
}

/**
 * Creates a {@link CustomerEditor} over a client; `client.createEditor(id, options)` calls this.
 * @param client - The organization-scoped client that reads and stores the customer.
 * @param id - The customer's id.
 * @param options - Debounce timings, retry policy and timers of the underlying update queue.
 * @returns The editor.
 * @throws `invalid_argument` for a missing client, an empty id, non-object options or bad timings.
 * @example
 * const editor = client.createEditor(ana.id);
 * await editor.load();
 * editor.set('firstName', 'Anna');
 * editor.set('phone', ''); // clearing is an edit too
 * editor.subscribe((status) => label.textContent = status.state === 'saving' ? 'Saving…' : '');
 * await editor.flush();
 */
export function createCustomerEditor(
  client: SlimCustomerClient,
  id: string,
  maybeOptions?: CustomerEditorOptions,
): CustomerEditor {
  if (typeof client?.get !== 'function' || typeof client.update !== 'function') {
    throw new InvalidArgumentError('client', 'expected a customer client');
  }
  if (typeof id !== 'string' || id === '')
    throw new InvalidArgumentError('id', 'expected a non-empty customer id');
  const options = objectArgument('options', maybeOptions, {});
  const listeners = new Set<CustomerEditorListener>();
  let known: Customer | undefined;

  const notify = (): void => {
    const status = queue.status(id);
    for (const listener of [...listeners]) {
      try {
        listener(status);
      } catch (error) {
        // A broken listener must not fail a save (that would retry a write that succeeded).
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };
  const remember = (customer: Customer): Customer => {
    // Reads and saves may finish out of order: never go back to an older version.
    if (known === undefined || customer.version >= known.version) {
      known = customer;
      notify();
    }
    return customer;
  };
  const load = async (): Promise<Customer> => remember(await client.get(id));

  const queue = createUpdateQueue({
    ...options,
    save: async (_id, patch) => {
      const base = known ?? (await load());
      return remember(await client.update(id, patch, { expectedVersion: base.version }));
    },
    onConflict: async () => {
      await load();
    },
  });
  const unsubscribeQueue = queue.subscribe((changedId) => {
    if (changedId === id) notify();
  });

  return {
    id,
    load,
    stored: () => known,
    set: (field, value) => queue.set(id, field, value),
    status: () => queue.status(id),
    pendingPatch: () => queue.pendingPatch(id),
    subscribe(listener) {
      if (typeof listener !== 'function') throw new InvalidArgumentError('listener', 'expected a function');
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    flush: () => queue.flush(id),
    async dispose() {
      try {
        await queue.dispose();
      } finally {
        unsubscribeQueue();
        listeners.clear();
      }
    },
  };
}
