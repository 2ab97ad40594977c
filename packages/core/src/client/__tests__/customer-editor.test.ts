import {
  type CustomerPatch,
  createCustomerClient,
  createMemoryAdapter,
  isCustomerError,
  type StorageAdapter,
  type UpdateStatus,
} from '@donutauto/core';
import type { WriteOptions } from '@donutauto/core/adapter';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** A real memory store whose `update` can lose its acknowledgement (stored, then a network error). */
function storeWithLostAcks() {
  const inner = createMemoryAdapter();
  const sent: { patch: CustomerPatch; options: WriteOptions }[] = [];
  let dropAcks = 0;
  const adapter: StorageAdapter = {
    ...inner,
    async update(organizationId, id, patch, options) {
      sent.push({ patch, options });
      const stored = await inner.update(organizationId, id, patch, options);
      if (dropAcks > 0) {
        dropAcks--;
        throw new Error('socket hang up');
      }
      return stored;
    },
  };
  return { inner, adapter, sent, dropNextAck: () => dropAcks++ };
}

describe('CustomerClient.createEditor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('on a version conflict re-reads and saves only the fields edited here (per-field last-writer-wins)', async () => {
    const store = storeWithLostAcks();
    const client = createCustomerClient({ adapter: store.adapter, organizationId: 'org' });
    const other = createCustomerClient({ adapter: store.inner, organizationId: 'org' });
    const ana = await client.add({
      firstName: 'Ana',
      lastName: 'Li',
      email: 'ana@example.com',
      notes: 'old',
    });
    const editor = client.createEditor(ana.id);
    expect((await editor.load()).version).toBe(1);
    await other.update(ana.id, { notes: 'from the till', location: 'Lisbon' }); // version 2
    editor.set('firstName', 'Anna');
    editor.set('location', 'Porto');
    await editor.flush();
    const stored = await client.get(ana.id);
    expect([stored.firstName, stored.location, stored.notes, stored.version]).toEqual([
      'Anna',
      'Porto',
      'from the till',
      3,
    ]);
    expect(store.sent.map((s) => [s.patch, s.options.expectedVersion])).toEqual([
      [{ firstName: 'Anna', location: 'Porto' }, 1],
      [{ firstName: 'Anna', location: 'Porto' }, 2],
    ]);
    expect(editor.stored()).toEqual(stored);
    expect(editor.status()).toMatchObject({ state: 'saved', failedAttempts: 0 });
  });

  it('recovers from a lost acknowledgement: the retry conflicts with its own write, re-reads and saves', async () => {
    const store = storeWithLostAcks();
    const client = createCustomerClient({ adapter: store.adapter, organizationId: 'org' });
    const ana = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    const editor = client.createEditor(ana.id, { retry: { minDelayMs: 100, random: () => 0 } });
    store.dropNextAck();
    editor.set('notes', 'two dozen glazed');
    await vi.advanceTimersByTimeAsync(500);
    expect(editor.status()).toMatchObject({ state: 'pending', failedAttempts: 1 });
    editor.set('phone', '');
    await vi.advanceTimersByTimeAsync(100);
    await editor.flush();
    expect(store.sent.map((s) => s.options.expectedVersion)).toEqual([1, 1, 2]);
    expect(store.sent.at(-1)!.patch).toEqual({ notes: 'two dozen glazed', phone: null });
    const stored = await client.get(ana.id);
    expect([stored.notes, stored.phone, stored.version]).toEqual(['two dozen glazed', null, 3]);
  });

  it('reports not_found as an error status, keeps the edit and rejects flush', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const ana = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    const editor = client.createEditor(ana.id);
    await editor.load();
    await client.delete(ana.id);
    editor.set('notes', 'gone?');
    const error = await editor.flush().catch((e: unknown) => e);
    expect(isCustomerError(error, 'not_found')).toBe(true);
    expect(editor.status()).toMatchObject({ state: 'error', error, pendingFields: ['notes'] });
    expect(editor.pendingPatch()).toEqual({ notes: 'gone?' });
  });

  it('notifies subscribers of status and stored-customer changes, validates at once, and disposes', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const ana = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    const editor = client.createEditor(ana.id);
    const states: UpdateStatus['state'][] = [];
    editor.subscribe((status) => states.push(status.state));
    await editor.load();
    expect(isCustomerError(editor.set('dob', '2990-01-01'), 'validation_failed')).toBe(true);
    expect(isCustomerError(editor.set('id', 'x'), 'forbidden_field')).toBe(true);
    expect(editor.set('dob', '--02-29')).toBeUndefined();
    await editor.dispose();
    expect((await client.get(ana.id)).dob).toBe('--02-29');
    // load (stored changes), set, save starts, save returns the new customer, status saved.
    expect(states).toEqual(['idle', 'pending', 'saving', 'saving', 'saved']);
    expect(editor.stored()?.version).toBe(2);
    expect(isCustomerError(editor.set('notes', 'late'), 'invalid_argument')).toBe(true);
    expect(() => client.createEditor('')).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });

  it('marks a taken email as an error at once, without retrying, and keeps the typed value', async () => {
    const adapter = createMemoryAdapter();
    const client = createCustomerClient({ adapter, organizationId: 'org' });
    await client.add({ firstName: 'Bo', lastName: 'Ng', email: 'bo@example.com' });
    const ana = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    let updates = 0;
    const counting = createCustomerClient({
      adapter: {
        ...adapter,
        update: (...args) => {
          updates++;
          return adapter.update(...args);
        },
      },
      organizationId: 'org',
    });
    const editor = counting.createEditor(ana.id);
    await editor.load();
    editor.set('email', 'BO@example.com');
    const flushed = editor.flush().then(
      () => 'resolved',
      (error: unknown) => (isCustomerError(error, 'duplicate_email') ? 'duplicate_email' : String(error)),
    );
    await vi.runAllTimersAsync();
    expect(await flushed).toBe('duplicate_email');
    expect(updates).toBe(1);
    expect(editor.status().state).toBe('error');
    expect(editor.pendingPatch()).toEqual({ email: 'BO@example.com' });
    expect((await client.get(ana.id)).email).toBe('ana@example.com');
  });
});
