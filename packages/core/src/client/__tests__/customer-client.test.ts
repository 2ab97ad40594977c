import {
  type CustomerClient,
  createCustomerClient,
  createMemoryAdapter,
  type StorageAdapter,
} from '@donutauto/core';
import { describe, expect, it } from 'vitest';
import { codeOf } from './code-of';

const ana = { firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' };

function setup(organizationId = 'org_a'): {
  client: CustomerClient;
  adapter: StorageAdapter;
  clock: { now: number };
} {
  const adapter = createMemoryAdapter();
  const clock = { now: 1_700_000_000_000 };
  const client = createCustomerClient({ adapter, organizationId, now: () => clock.now++ });
  return { client, adapter, clock };
}

describe('createCustomerClient', () => {
  it('refuses an empty organization id or a missing adapter', () => {
    expect(() => createCustomerClient({ adapter: createMemoryAdapter(), organizationId: '' })).toThrowError(
      /organizationId/,
    );
    expect(() =>
      createCustomerClient({ adapter: createMemoryAdapter(), organizationId: '   ' }),
    ).toThrowError(/organizationId/);
    expect(() =>
      createCustomerClient({ adapter: undefined as unknown as StorageAdapter, organizationId: 'org' }),
    ).toThrowError(/adapter/);
  });
});

describe('add / get', () => {
  it('stores a normalized customer with system fields set by the SDK', async () => {
    const { client } = setup();
    const added = await client.add({ ...ana, phone: '(555) 010-0199', preferences: ['Glazed', 'glazed'] });
    expect(added).toMatchObject({
      organizationId: 'org_a',
      version: 1,
      phone: '5550100199',
      preferences: ['Glazed'],
    });
    expect(added.createdAt).toBe(added.updatedAt);
    expect(await client.get(added.id)).toEqual(added);
  });

  it('refuses a second customer with the same email, whatever its case', async () => {
    const { client } = setup();
    await client.add(ana);
    expect(await codeOf(client.add({ ...ana, email: ' ANA@example.com ' }))).toBe('duplicate_email');
    expect(await client.count()).toBe(1);
  });

  it('refuses system fields in the input', async () => {
    const { client } = setup();
    expect(await codeOf(client.add({ ...ana, organizationId: 'org_b' } as never))).toBe('forbidden_field');
    expect(await codeOf(client.add({ ...ana, id: 'mine' } as never))).toBe('forbidden_field');
  });

  it('throws not_found for an unknown id or another organization’s customer', async () => {
    const { client, adapter } = setup();
    const other = createCustomerClient({ adapter, organizationId: 'org_b' });
    const added = await client.add(ana);
    expect(await codeOf(client.get('nope'))).toBe('not_found');
    expect(await codeOf(other.get(added.id))).toBe('not_found');
    expect(await codeOf(other.delete(added.id))).toBe('not_found');
    expect(await codeOf(other.update(added.id, { firstName: 'Evil' }))).toBe('not_found');
  });

  it('checks custom fields against the organization’s definitions', async () => {
    const client = createCustomerClient({
      adapter: createMemoryAdapter(),
      organizationId: 'org',
      customFields: [
        { key: 'tier', type: 'select', options: ['gold', 'silver'], required: true },
        { key: 'visits', type: 'number' },
      ],
    });
    expect(await codeOf(client.add(ana))).toBe('validation_failed');
    expect(await codeOf(client.add({ ...ana, customFields: { tier: 'bronze' } }))).toBe('validation_failed');
    expect(await codeOf(client.add({ ...ana, customFields: { tier: 'gold', color: 'red' } }))).toBe(
      'validation_failed',
    );
    const ok = await client.add({ ...ana, customFields: { tier: 'gold', visits: 2 } });
    expect(ok.customFields).toEqual({ tier: 'gold', visits: 2 });
    // A customFields patch replaces the whole object: it must keep the required fields.
    const dropped = await client.update(ok.id, { customFields: { visits: 3 } }).catch((e: unknown) => e);
    expect(dropped).toMatchObject({
      code: 'validation_failed',
      issues: [{ path: ['customFields', 'tier'], code: 'required' }],
    });
    expect((await client.get(ok.id)).customFields).toEqual({ tier: 'gold', visits: 2 });
    const kept = await client.update(ok.id, { customFields: { ...ok.customFields, visits: 3 } });
    expect(kept.customFields).toEqual({ tier: 'gold', visits: 3 });
    // A patch without customFields leaves them, required ones included, as they are.
    expect((await client.update(ok.id, { notes: 'x' })).customFields).toEqual({ tier: 'gold', visits: 3 });
  });
});

describe('update / updateCustomerField', () => {
  it('applies a validated patch and bumps the version', async () => {
    const { client } = setup();
    const added = await client.add(ana);
    const updated = await client.update(added.id, { notes: ' Likes glazed ', phone: '+44 20 7946 0958' });
    expect(updated).toMatchObject({ notes: 'Likes glazed', phone: '+442079460958', version: 2 });
    expect(updated.updatedAt).toBeGreaterThan(added.updatedAt);
  });

  it('honours expectedVersion', async () => {
    const { client } = setup();
    const added = await client.add(ana);
    await client.update(added.id, { notes: 'one' }, { expectedVersion: 1 });
    expect(await codeOf(client.update(added.id, { notes: 'two' }, { expectedVersion: 1 }))).toBe(
      'version_conflict',
    );
    expect((await client.get(added.id)).notes).toBe('one');
  });

  it('sets one editable field and clears optional fields with null or empty text', async () => {
    const { client } = setup();
    const added = await client.add({ ...ana, phone: '5550100' });
    expect((await client.updateCustomerField({ id: added.id, field: 'phone', value: '' })).phone).toBeNull();
    const withPrefs = await client.updateCustomerField({
      id: added.id,
      field: 'preferences',
      value: ['a', 'b'],
    });
    expect(withPrefs.preferences).toEqual(['a', 'b']);
  });

  it('refuses system and unknown fields, changing nothing (the original tenant escape)', async () => {
    const { client } = setup();
    const added = await client.add(ana);
    for (const field of ['organizationId', 'id', 'createdAt', 'updatedAt', 'version', 'isAdmin']) {
      expect(
        await codeOf(client.updateCustomerField({ id: added.id, field: field as 'notes', value: 'org_b' })),
      ).toBe('forbidden_field');
    }
    expect(await codeOf(client.update(added.id, { organizationId: 'org_b' } as never))).toBe(
      'forbidden_field',
    );
    expect(await client.get(added.id)).toEqual(added);
  });

  it('refuses a fourth preference in the model, not only in a UI', async () => {
    const { client } = setup();
    const added = await client.add({ ...ana, preferences: ['a', 'b', 'c'] });
    expect(
      await codeOf(
        client.updateCustomerField({ id: added.id, field: 'preferences', value: ['a', 'b', 'c', 'd'] }),
      ),
    ).toBe('validation_failed');
    expect(await codeOf(client.update(added.id, { preferences: ['a', 'b', 'c', 'd'] }))).toBe(
      'validation_failed',
    );
  });
});

describe('list', () => {
  it('pages newest first in Convex’s shape and visits everyone once', async () => {
    const { client } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) ids.push((await client.add({ ...ana, email: `c${i}@example.com` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      const { page, continueCursor, isDone } = await client.list({ numItems: 5, cursor });
      seen.push(...page.map((c) => c.id));
      pages++;
      if (isDone) break;
      cursor = continueCursor;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual([...ids].reverse());
  });

  it('filters and counts', async () => {
    const { client } = setup();
    await client.add({ ...ana, preferences: ['glazed'], tags: ['vip'], dob: '1990-03-15' });
    await client.add({ firstName: 'Bo', lastName: 'Ng', email: 'bo@example.com', preferences: ['vegan'] });
    expect(
      (await client.list({ numItems: 10, filter: { text: 'ANA L' } })).page.map((c) => c.firstName),
    ).toEqual(['Ana']);
    expect(await client.count({ preferences: { all: ['vegan'] } })).toBe(1);
    expect(await client.count({ birthdayMonth: 3 })).toBe(1);
    expect(await client.count({ tags: { all: ['vip'] }, preferences: { all: ['vegan'] } })).toBe(0);
    expect(await client.count()).toBe(2);
  });

  it('refuses numItems outside 1–1000, bad filters and foreign cursors', async () => {
    const { client, adapter } = setup();
    for (let i = 0; i < 3; i++) await client.add({ ...ana, email: `c${i}@example.com` });
    for (const numItems of [0, -1, 1001, 1.5, Number.NaN]) {
      expect(await codeOf(client.list({ numItems }))).toBe('invalid_argument');
    }
    expect(await codeOf(client.list({ numItems: 5, filter: { birthdayMonth: 13 } }))).toBe(
      'invalid_argument',
    );
    expect(await codeOf(client.list({ numItems: 5, filter: { colour: 'red' } as never }))).toBe(
      'invalid_argument',
    );
    const first = await client.list({ numItems: 1 });
    const other = createCustomerClient({ adapter, organizationId: 'org_b' });
    expect(await codeOf(other.list({ numItems: 1, cursor: first.continueCursor }))).toBe('invalid_cursor');
    expect(await codeOf(client.list({ numItems: 1, cursor: `${first.continueCursor}x` }))).toBe(
      'invalid_cursor',
    );
    expect(await codeOf(client.list({ numItems: 1, cursor: 'garbage' }))).toBe('invalid_cursor');
  });
});

describe('delete / subscribe', () => {
  it('deletes and notifies subscribers of this organization only', async () => {
    const { client, adapter } = setup();
    const other = createCustomerClient({ adapter, organizationId: 'org_b' });
    const events: string[] = [];
    const foreign: string[] = [];
    const stop = client.subscribe((e) => events.push(`${e.type}:${e.ids.length}`));
    other.subscribe((e) => foreign.push(e.type));
    const added = await client.add(ana);
    await client.updateCustomerField({ id: added.id, field: 'notes', value: 'hi' });
    await client.delete(added.id);
    await Promise.resolve();
    expect(events).toEqual(['insert:1', 'update:1', 'delete:1']);
    expect(foreign).toEqual([]);
    stop();
    await client.add(ana);
    await Promise.resolve();
    expect(events).toHaveLength(3);
    expect(await codeOf(client.delete(added.id))).toBe('not_found');
  });
});

describe('bulkAddCustomers', () => {
  const bulkInputs = [
    { ...ana, email: 'one@example.com' },
    { ...ana, email: 'STORED@example.com' },
    { ...ana, email: 'One@Example.com' },
    { ...ana, firstName: '' },
    { ...ana, email: 'two@example.com', preferences: ['a', 'b', 'c', 'd'] },
    { ...ana, email: 'three@example.com' },
  ];

  it('adds valid inputs, skips duplicates with a reason and reports errors by index and field (strict)', async () => {
    const { client } = setup();
    await client.add({ ...ana, email: 'stored@example.com' });
    const result = await client.bulkAddCustomers(bulkInputs, { strict: true });
    expect(result).toMatchObject({
      addedCount: 2,
      updatedCount: 0,
      skippedCount: 2,
      errorCount: 2,
      aborted: false,
    });
    expect(result.addedIds).toHaveLength(2);
    expect(result.issues.map((i) => [i.row, i.field, i.code, i.level])).toEqual([
      [1, 'email', 'duplicate_existing', 'warning'],
      [2, 'email', 'duplicate_in_file', 'warning'],
      [3, 'firstName', 'required', 'error'],
      [4, 'preferences', 'too_big', 'error'],
    ]);
    expect(await client.count()).toBe(3);
  });

  it('keeps a customer whose optional value is bad, leaving the value out with a warning', async () => {
    const { client } = setup();
    await client.add({ ...ana, email: 'stored@example.com' });
    const result = await client.bulkAddCustomers(bulkInputs);
    expect(result).toMatchObject({ addedCount: 3, skippedCount: 2, errorCount: 1 });
    expect(result.issues.map((i) => [i.row, i.field, i.code, i.level])).toEqual([
      [1, 'email', 'duplicate_existing', 'warning'],
      [2, 'email', 'duplicate_in_file', 'warning'],
      [3, 'firstName', 'required', 'error'],
      [4, 'preferences', 'too_big', 'warning'],
    ]);
    expect(result.issues[3]!.message).toMatch(/the value was not imported$/);
    const two = (await client.list({ numItems: 10 })).page.find((c) => c.email === 'two@example.com');
    expect(two).toMatchObject({ firstName: 'Ana', preferences: [] });
  });

  it('is idempotent: running the same inputs again adds nothing', async () => {
    const { client } = setup();
    const inputs = Array.from({ length: 1_200 }, (_, i) => ({ ...ana, email: `c${i}@example.com` }));
    const first = await client.bulkAddCustomers(inputs, { batchSize: 100 });
    expect(first.addedCount).toBe(1_200);
    const second = await client.bulkAddCustomers(inputs, { batchSize: 100 });
    expect(second).toMatchObject({ addedCount: 0, skippedCount: 1_200 });
    expect(await client.count()).toBe(1_200);
  });

  it('updates or merges stored customers by policy', async () => {
    const { client } = setup();
    const stored = await client.add({ ...ana, phone: '5550100', notes: null });
    const updated = await client.bulkAddCustomers(
      [{ ...ana, firstName: 'Anna', phone: '5550199', notes: '' }],
      {
        onDuplicate: 'update',
      },
    );
    expect(updated).toMatchObject({ updatedCount: 1, addedCount: 0 });
    expect(await client.get(stored.id)).toMatchObject({
      firstName: 'Anna',
      phone: '5550199',
      notes: null,
      version: 2,
    });
    const merged = await client.bulkAddCustomers([{ ...ana, firstName: 'Ann', notes: 'Oat milk' }], {
      onDuplicate: 'merge',
    });
    expect(merged.updatedCount).toBe(1);
    expect(await client.get(stored.id)).toMatchObject({ firstName: 'Anna', notes: 'Oat milk', version: 3 });
    const again = await client.bulkAddCustomers([{ ...ana, firstName: 'Ann', notes: 'Oat milk' }], {
      onDuplicate: 'merge',
    });
    expect(again).toMatchObject({ updatedCount: 0, skippedCount: 1 });
  });

  it('writes nothing on a dry run and returns its plan by input index', async () => {
    const { client } = setup();
    const inputs = [ana, { ...ana, email: 'b@example.com' }, { ...ana, email: 'nope' }, ana];
    const result = await client.bulkAddCustomers(inputs, { dryRun: true });
    expect(result).toMatchObject({ addedCount: 2, addedIds: [] });
    expect(result.plan).toEqual({
      inserts: [0, 1],
      updates: [],
      skips: [{ row: 3, reason: 'duplicate_in_file' }],
      errors: [2],
    });
    expect(await client.count()).toBe(0);
    expect((await client.bulkAddCustomers([ana])).plan).toBeUndefined();
  });

  it('stops between batches when aborted and reports exactly what was written', async () => {
    const { client } = setup();
    const controller = new AbortController();
    const inputs = Array.from({ length: 50 }, (_, i) => ({ ...ana, email: `c${i}@example.com` }));
    const result = await client.bulkAddCustomers(inputs, {
      batchSize: 10,
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'writing' && p.rowsWritten >= 20) controller.abort();
      },
    });
    expect(result.aborted).toBe(true);
    expect(await client.count()).toBe(result.addedCount);
    const rerun = await client.bulkAddCustomers(inputs, { batchSize: 10 });
    expect(rerun.addedCount + result.addedCount).toBe(50);
    expect(await client.count()).toBe(50);
  });

  it('never inserts an email twice when two imports race', async () => {
    const adapter = createMemoryAdapter();
    const a = createCustomerClient({ adapter, organizationId: 'org' });
    const b = createCustomerClient({ adapter, organizationId: 'org' });
    const inputs = Array.from({ length: 300 }, (_, i) => ({ ...ana, email: `c${i}@example.com` }));
    const [ra, rb] = await Promise.all([
      a.bulkAddCustomers(inputs, { batchSize: 25 }),
      b.bulkAddCustomers([...inputs].reverse(), { batchSize: 25 }),
    ]);
    expect(ra.addedCount + rb.addedCount).toBe(300);
    expect(await a.count()).toBe(300);
  });
});
