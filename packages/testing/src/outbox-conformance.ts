/**
 * Conformance checks of the `OutboxStore` capability: the local store of a synced adapter. Run by
 * `runAdapterConformance` when the adapter declares the `outbox` capability (memory, IndexedDB).
 */
import type { Customer } from '@donutauto/core';
import type { OutboxDraft, OutboxStore, StorageAdapter } from '@donutauto/core/adapter';
import { expect, it } from 'vitest';
import { expectCode, freshOrg, make, person } from './conformance-helpers';

/** Options of {@link registerOutboxConformance}. */
export interface OutboxConformanceOptions {
  /** Per-test timeout in ms. */
  readonly timeout: number;
}

type LocalStore = StorageAdapter & OutboxStore;

const draft = (key: string, change: OutboxDraft['change']): OutboxDraft => ({ key, change });

/**
 * Registers the outbox checks.
 * @param adapter - Returns the adapter under test, which implements `OutboxStore`.
 * @param options - The timeout.
 */
export function registerOutboxConformance(
  adapter: () => StorageAdapter,
  options: OutboxConformanceOptions,
): void {
  const { timeout } = options;
  const local = () => adapter() as LocalStore;

  it('writeWithOutbox stores each write with its entries, numbered in order', { timeout }, async () => {
    const a = local();
    const org = freshOrg('outbox-write');
    const x = make(org, person(1));
    const y = make(org, person(2));
    expect(await a.readOutbox(org, 10)).toEqual({ entries: [], lastSeq: 0 });
    const seen: Customer[][] = [];
    await a.writeWithOutbox(org, { type: 'insertMany', customers: [x, y] }, (before) => {
      seen.push([...before]);
      return [draft('k1', { type: 'insert', customer: x }), draft('k2', { type: 'insert', customer: y })];
    });
    expect(await a.get(org, x.id)).toEqual(x);
    const updated = await a.writeWithOutbox(
      org,
      {
        type: 'updateMany',
        updates: [{ id: x.id, patch: { notes: 'n' }, expectedVersion: 1 }],
        updatedAt: 5_000,
      },
      (before) => {
        seen.push([...before]);
        return [
          draft('k3', {
            type: 'update',
            id: x.id,
            patch: { notes: 'n' },
            base: { notes: before[0]!.notes },
            expectedVersion: before[0]!.version,
            updatedAt: 5_000,
          }),
        ];
      },
    );
    expect(updated).toEqual([{ ...x, notes: 'n', updatedAt: 5_000, version: 2 }]);
    const deleted = await a.writeWithOutbox(org, { type: 'delete', id: y.id }, (before) => {
      seen.push([...before]);
      return [draft('k4', { type: 'delete', id: y.id })];
    });
    expect(deleted).toBe(true);
    expect(await a.get(org, y.id)).toBeUndefined();
    expect(seen).toEqual([[], [x], [y]]);
    const read = await a.readOutbox(org, 10);
    expect(read.lastSeq).toBe(read.entries[3]!.seq);
    expect(read.entries.map((e) => e.key)).toEqual(['k1', 'k2', 'k3', 'k4']);
    const seqs = read.entries.map((e) => e.seq);
    expect([...seqs].sort((p, q) => p - q)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(4);
    expect(read.entries[2]!.change).toEqual({
      type: 'update',
      id: x.id,
      patch: { notes: 'n' },
      base: { notes: null },
      expectedVersion: 1,
      updatedAt: 5_000,
    });
    expect((await a.readOutbox(org, 2)).entries.map((e) => e.key)).toEqual(['k1', 'k2']);
    expect(await a.outboxSize(org)).toBe(4);
    expect(await a.outboxSize(freshOrg('outbox-other'))).toBe(0);
  });

  it('writeWithOutbox writes nothing and records nothing when the write fails', { timeout }, async () => {
    const a = local();
    const org = freshOrg('outbox-fail');
    const x = make(org, person(1));
    await a.insertMany(org, [x]);
    const twin = make(org, person(1));
    await expectCode(
      a.writeWithOutbox(org, { type: 'insertMany', customers: [make(org, person(2)), twin] }, () => [
        draft('k', { type: 'insert', customer: twin }),
      ]),
      'duplicate_email',
    );
    await expectCode(
      a.writeWithOutbox(
        org,
        {
          type: 'updateMany',
          updates: [{ id: x.id, patch: { notes: 'n' }, expectedVersion: 9 }],
          updatedAt: 2,
        },
        () => [draft('k', { type: 'delete', id: x.id })],
      ),
      'version_conflict',
    );
    expect(await a.outboxSize(org)).toBe(0);
    expect(await a.readOutbox(org, 10)).toEqual({ entries: [], lastSeq: 0 });
    expect(await a.count(org, {})).toBe(1);
    expect(await a.get(org, x.id)).toEqual(x);
  });

  it('commitSync applies removals, rewrites, deletes, exact puts and the cursor at once', {
    timeout,
  }, async () => {
    const a = local();
    const org = freshOrg('outbox-commit');
    const [x, y, z] = [make(org, person(1)), make(org, person(2)), make(org, person(3))];
    await a.insertMany(org, [z!]);
    await a.writeWithOutbox(org, { type: 'insertMany', customers: [x!, y!] }, () => [
      draft('k1', { type: 'insert', customer: x! }),
      draft('k2', { type: 'insert', customer: y! }),
    ]);
    const { entries, lastSeq } = await a.readOutbox(org, 10);
    const [e1, e2] = entries;
    expect(await a.readSyncCursor(org)).toBeNull();
    // A server copy of x at version 4, z deleted on the server.
    const serverX = { ...x!, notes: 'server', version: 4, updatedAt: 9_000 };
    const rewritten = { ...e2!, change: { type: 'delete' as const, id: y!.id } };
    const applied = await a.commitSync(org, {
      ifLastSeq: lastSeq,
      remove: [e1!.seq],
      replace: [rewritten],
      put: [serverX],
      delete: [z!.id],
      cursor: 'cursor-1',
    });
    expect(applied).toBe(true);
    expect(await a.get(org, x!.id)).toEqual(serverX);
    expect(await a.get(org, z!.id)).toBeUndefined();
    expect(await a.readOutbox(org, 10)).toEqual({ entries: [rewritten], lastSeq });
    expect(await a.readSyncCursor(org)).toBe('cursor-1');
    // A commit without a cursor keeps the stored one.
    expect(await a.commitSync(org, { ifLastSeq: lastSeq })).toBe(true);
    expect(await a.readSyncCursor(org)).toBe('cursor-1');
  });

  it('commitSync changes nothing when the outbox moved on or a put takes a held email', {
    timeout,
  }, async () => {
    const a = local();
    const org = freshOrg('outbox-guard');
    const [x, y] = [make(org, person(1)), make(org, person(2))];
    await a.insertMany(org, [x!, y!]);
    const { lastSeq } = await a.readOutbox(org, 10);
    await a.writeWithOutbox(org, { type: 'delete', id: 'absent' }, () => [
      draft('k1', { type: 'delete', id: 'absent' }),
    ]);
    expect(await a.commitSync(org, { ifLastSeq: lastSeq, delete: [x!.id], cursor: 'c' })).toBe(false);
    expect(await a.get(org, x!.id)).toEqual(x);
    expect(await a.readSyncCursor(org)).toBeNull();
    const current = (await a.readOutbox(org, 10)).lastSeq;
    // y's email put on another id while y keeps it: refused, and the delete of the same commit undone.
    const clash = { ...make(org, person(3)), email: y!.email };
    await expectCode(
      a.commitSync(org, { ifLastSeq: current, delete: [x!.id], put: [clash], cursor: 'c' }),
      'duplicate_email',
    );
    expect(await a.get(org, x!.id)).toEqual(x);
    expect(await a.get(org, clash.id)).toBeUndefined();
    expect(await a.readSyncCursor(org)).toBeNull();
    // Deleting the holder in the same commit frees its email.
    expect(await a.commitSync(org, { ifLastSeq: current, delete: [y!.id], put: [clash] })).toBe(true);
    expect(await a.get(org, clash.id)).toEqual(clash);
    expect(await a.getByEmails(org, ['person2@example.com'])).toEqual([clash]);
    expect(await a.outboxSize(org)).toBe(1);
  });

  it('commitSync lets put customers trade emails within one commit', { timeout }, async () => {
    const a = local();
    const org = freshOrg('outbox-swap');
    const [x, y] = [make(org, person(1)), make(org, person(2))];
    await a.insertMany(org, [x!, y!]);
    const { lastSeq } = await a.readOutbox(org, 1);
    const swapped = [
      { ...x!, email: y!.email, version: 2 },
      { ...y!, email: x!.email, version: 2 },
    ];
    expect(await a.commitSync(org, { ifLastSeq: lastSeq, put: swapped })).toBe(true);
    expect(await a.get(org, x!.id)).toEqual(swapped[0]);
    expect((await a.getByEmails(org, ['person1@example.com'])).map((c) => c.id)).toEqual([y!.id]);
    expect((await a.getByEmails(org, ['person2@example.com'])).map((c) => c.id)).toEqual([x!.id]);
  });
}
