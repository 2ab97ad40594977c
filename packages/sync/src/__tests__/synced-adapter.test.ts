import { createCustomerClient, createMemoryAdapter, isCustomerError } from '@donutauto/core';
import { createSyncedAdapter } from '@donutauto/sync';
import { describe, expect, it } from 'vitest';
import { allCustomers, serverOf, tablet } from './support/tablets';

const ORG = 'org_shop';

function setup() {
  const server = serverOf(createMemoryAdapter(), ORG);
  const a = tablet(server, ORG);
  const b = tablet(server, ORG);
  const clientOf = (t: typeof a) => createCustomerClient({ adapter: t.adapter, organizationId: ORG });
  return { server, a, b, clientOf };
}

describe('createSyncedAdapter', () => {
  it('keeps writes made offline in the outbox and sends them once back online', async () => {
    const { server, a, clientOf } = setup();
    a.net.online = false;
    const ana = await clientOf(a).add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    await clientOf(a).update(ana.id, { notes: 'Oat milk' });
    expect(await clientOf(a).get(ana.id)).toMatchObject({ notes: 'Oat milk', version: 2 });
    expect(a.adapter.status.pendingCount).toBe(2);
    const failed = await a.adapter.sync().catch((e: unknown) => e);
    expect(isCustomerError(failed, 'storage_failed') && failed.retryable).toBe(true);
    expect(a.adapter.status).toMatchObject({ online: false, pendingCount: 2, pushing: false });
    expect(await allCustomers(server.adapter, ORG)).toEqual([]);

    a.net.online = true;
    await a.adapter.sync();
    expect(a.adapter.status).toMatchObject({ online: true, pendingCount: 0, lastError: null });
    const stored = await allCustomers(server.adapter, ORG);
    expect(stored).toEqual(await allCustomers(a.local, ORG));
    expect(stored).toMatchObject([{ id: ana.id, notes: 'Oat milk' }]);
  });

  it('keeps edits of different fields from two tablets, and the later of two edits of one field', async () => {
    const { server, a, b, clientOf } = setup();
    const ana = await clientOf(a).add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    await a.adapter.sync();
    await b.adapter.sync();
    a.net.online = false;
    b.net.online = false;
    await clientOf(a).update(ana.id, { notes: 'from A', location: 'Shop A' });
    await clientOf(b).update(ana.id, { notes: 'from B', gender: 'female' });
    a.net.online = true;
    b.net.online = true;
    await a.adapter.sync();
    await b.adapter.sync(); // B's edit reaches the server later: it wins the notes
    await a.adapter.sync();
    const [final] = await allCustomers(server.adapter, ORG);
    expect(final).toMatchObject({ notes: 'from B', location: 'Shop A', gender: 'female' });
    expect(await allCustomers(a.local, ORG)).toEqual([final]);
    expect(await allCustomers(b.local, ORG)).toEqual([final]);
    expect(b.conflicts).toEqual([
      { kind: 'overwritten', customerId: ana.id, field: 'notes', overwritten: 'from A', value: 'from B' },
    ]);
    expect(a.conflicts).toEqual([]);
  });

  it('merges custom fields key by key', async () => {
    const { server, a, b, clientOf } = setup();
    const ana = await clientOf(a).add({
      firstName: 'Ana',
      lastName: 'Li',
      email: 'ana@example.com',
      customFields: { tier: 'gold' },
    });
    await a.adapter.sync();
    await b.adapter.sync();
    await clientOf(a).update(ana.id, { customFields: { tier: 'gold', visits: 3 } });
    await clientOf(b).update(ana.id, { customFields: { tier: 'silver' } });
    await a.adapter.sync();
    await b.adapter.sync();
    await a.adapter.sync();
    const [final] = await allCustomers(server.adapter, ORG);
    expect(final?.customFields).toEqual({ tier: 'silver', visits: 3 });
    expect(b.conflicts).toEqual([]);
    expect(await allCustomers(a.local, ORG)).toEqual([final]);
  });

  it('lets a delete win over an edit, whichever reaches the server first', async () => {
    const { server, a, b, clientOf } = setup();
    const [x, y] = [
      await clientOf(a).add({ firstName: 'X', lastName: 'One', email: 'x@example.com' }),
      await clientOf(a).add({ firstName: 'Y', lastName: 'Two', email: 'y@example.com' }),
    ];
    await a.adapter.sync();
    await b.adapter.sync();
    await clientOf(a).delete(x.id);
    await clientOf(b).update(x.id, { notes: 'edited' });
    await clientOf(a).update(y.id, { notes: 'edited' });
    await clientOf(b).delete(y.id);
    await a.adapter.sync(); // x deleted first, then b's edit arrives
    await b.adapter.sync(); // b's edit of x is dropped; y deleted after a's edit
    await a.adapter.sync();
    expect(await allCustomers(server.adapter, ORG)).toEqual([]);
    expect(await allCustomers(a.local, ORG)).toEqual([]);
    expect(await allCustomers(b.local, ORG)).toEqual([]);
    expect(b.conflicts).toEqual([{ kind: 'deleted', customerId: x.id, fields: ['notes'] }]);
  });

  it('merges a customer added offline whose email the server already holds, by the duplicate policy', async () => {
    const { server, a, b, clientOf } = setup();
    a.net.online = false;
    b.net.online = false;
    const onA = await clientOf(a).add({
      firstName: 'Ana',
      lastName: 'Li',
      email: 'ana@example.com',
      phone: '+441234567',
    });
    const onB = await clientOf(b).add({
      firstName: 'Ana',
      lastName: 'Lee',
      email: 'ANA@example.com',
      notes: 'Regular',
    });
    await clientOf(b).update(onB.id, { location: 'Shop B' });
    a.net.online = true;
    b.net.online = true;
    await a.adapter.sync();
    await b.adapter.sync();
    await a.adapter.sync();
    const stored = await allCustomers(server.adapter, ORG);
    expect(stored).toHaveLength(1);
    // `merge` fills the empty fields of the customer stored first; B's later edit applies on top.
    expect(stored[0]).toMatchObject({
      id: onA.id,
      lastName: 'Li',
      phone: '+441234567',
      notes: 'Regular',
      location: 'Shop B',
    });
    expect(await allCustomers(a.local, ORG)).toEqual(stored);
    expect(await allCustomers(b.local, ORG)).toEqual(stored);
    expect(b.conflicts).toEqual([{ kind: 'merged', customerId: onB.id, intoId: onA.id }]);
  });

  it('sends what a closed page left in the outbox after a reload, once, despite a lost answer', async () => {
    const { server, a, clientOf } = setup();
    a.net.online = false;
    await clientOf(a).add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    await clientOf(a).add({ firstName: 'Bo', lastName: 'Ng', email: 'bo@example.com' });
    await a.reload();
    a.net.online = true;
    a.net.drops.push('after', 'after'); // the insert is stored, its answer lost (twice)
    await a.adapter.sync().catch(() => {});
    await a.reload();
    await a.adapter.sync();
    expect((await allCustomers(server.adapter, ORG)).map((c) => c.email).sort()).toEqual([
      'ana@example.com',
      'bo@example.com',
    ]);
    expect(await allCustomers(a.local, ORG)).toEqual(await allCustomers(server.adapter, ORG));
    expect(a.adapter.status.pendingCount).toBe(0);
  });

  it('reports a write the server refuses and shows the server state again', async () => {
    const { server, a, b, clientOf } = setup();
    const ana = await clientOf(a).add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    await clientOf(a).add({ firstName: 'Bo', lastName: 'Ng', email: 'bo@example.com' });
    await a.adapter.sync();
    await b.adapter.sync();
    const bo = (await allCustomers(b.local, ORG)).find((c) => c.email === 'bo@example.com')!;
    await clientOf(b).update(bo.id, { email: 'bo.new@example.com' });
    await clientOf(a).update(ana.id, { email: 'bo.new@example.com' }); // taken once B syncs
    await b.adapter.sync();
    await a.adapter.sync();
    expect(a.conflicts).toMatchObject([
      { kind: 'rejected', customerId: ana.id, error: { code: 'duplicate_email' } },
    ]);
    expect(await allCustomers(a.local, ORG)).toEqual(await allCustomers(server.adapter, ORG));
    expect((await clientOf(a).get(ana.id)).email).toBe('ana@example.com');
  });

  it('syncs in the background: after a write, and when the server announces a change', async () => {
    const server = serverOf(createMemoryAdapter(), ORG);
    const remoteOf = () => server.adapter; // in process: the memory adapter's own change events
    const make = () =>
      createSyncedAdapter({
        local: createMemoryAdapter(),
        remote: remoteOf(),
        organizationId: ORG,
        intervalMs: 60_000,
      });
    const a = make();
    const b = make();
    const statuses: boolean[] = [];
    b.subscribeStatus((s) => statuses.push(s.pulling));
    try {
      const client = createCustomerClient({ adapter: a, organizationId: ORG });
      const ana = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
      await expect
        .poll(() => b.get(ORG, ana.id), { timeout: 5_000 })
        .toMatchObject({ email: 'ana@example.com' });
      expect(statuses).toContain(true);
      await expect.poll(() => a.status.pendingCount).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses a local store without an outbox and a remote that is not a store', () => {
    const remote = createMemoryAdapter();
    const { writeWithOutbox: _w, ...plain } = createMemoryAdapter();
    expect(() => createSyncedAdapter({ local: plain as never, remote })).toThrow(/local/);
    expect(() => createSyncedAdapter({ local: createMemoryAdapter(), remote: {} as never })).toThrow(
      /remote/,
    );
  });
});
