import { buildCustomer, normalizeEmail, type StorageAdapter } from '@donutauto/core/adapter';
import { describe, expect, it } from 'vitest';
import { expectCode, freshOrg, listAll, make, person } from './conformance-helpers';

let sharedIds = 0;

/**
 * Registers the tenant-isolation checks a regression would otherwise slip past: the storage key is
 * `(organizationId, id)`, so two organizations may hold a customer with the same id (and email),
 * and a write to one must never touch the other; and a batch holding another organization's
 * customer is refused before anything is written.
 * @param adapter - Returns the adapter under test (created by the suite's `beforeAll`).
 * @param timeout - Per-test timeout in ms.
 */
export function registerTenantIsolationTests(adapter: () => StorageAdapter, timeout: number): void {
  describe('tenant isolation with the same customer id in two organizations', () => {
    /** The same id and email stored in two fresh organizations, each with its own notes. */
    async function twins() {
      const a = freshOrg('twin-a');
      const b = freshOrg('twin-b');
      const id = `shared-${++sharedIds}-${Math.random().toString(36).slice(2, 8)}`;
      const rowA = buildCustomer(person(1, { notes: 'A' }), a, 1_000, () => id);
      const rowB = buildCustomer(person(1, { notes: 'B' }), b, 1_000, () => id);
      await adapter().insertMany(a, [rowA]);
      await adapter().insertMany(b, [rowB]);
      return { a, b, id, rowA, rowB };
    }

    it('stores both and reads each back only in its organization (get, getByEmails, list, count)', {
      timeout,
    }, async () => {
      const { a, b, id, rowA, rowB } = await twins();
      expect(await adapter().get(a, id)).toEqual(rowA);
      expect(await adapter().get(b, id)).toEqual(rowB);
      const email = normalizeEmail(rowA.email);
      expect(await adapter().getByEmails(a, [email])).toEqual([rowA]);
      expect(await adapter().getByEmails(b, [email])).toEqual([rowB]);
      expect(await listAll(adapter(), a, 10)).toEqual([rowA]);
      expect(await adapter().count(b, {})).toBe(1);
    });

    it('update changes only the caller’s row, and versions stay per organization', { timeout }, async () => {
      const { a, b, id, rowB } = await twins();
      const updated = await adapter().update(
        a,
        id,
        { notes: 'A2', email: 'moved@example.com' },
        { updatedAt: 2_000, expectedVersion: 1 },
      );
      expect(updated).toMatchObject({ organizationId: a, notes: 'A2', version: 2 });
      expect(await adapter().get(b, id)).toEqual(rowB);
      // B's row is still at version 1: an expectedVersion check reads B's row, not A's.
      const updatedB = await adapter().update(
        b,
        id,
        { notes: 'B2' },
        { updatedAt: 3_000, expectedVersion: 1 },
      );
      expect(updatedB).toMatchObject({ organizationId: b, notes: 'B2', version: 2, email: rowB.email });
      expect(await adapter().get(a, id)).toEqual(updated);
    });

    it('updateMany changes only the caller’s row', { timeout }, async () => {
      const { a, b, id, rowA } = await twins();
      const [updated] = await adapter().updateMany(
        b,
        [{ id, patch: { notes: 'B2', tags: ['batch'] }, expectedVersion: 1 }],
        { updatedAt: 2_000 },
      );
      expect(updated).toMatchObject({ organizationId: b, notes: 'B2', tags: ['batch'], version: 2 });
      expect(await adapter().get(a, id)).toEqual(rowA);
      expect(await adapter().get(b, id)).toEqual(updated);
      const [again] = await adapter().updateMany(a, [{ id, patch: { notes: 'A2' }, expectedVersion: 1 }], {
        updatedAt: 3_000,
      });
      expect(again).toMatchObject({ organizationId: a, notes: 'A2', version: 2 });
      expect(await adapter().get(b, id)).toEqual(updated);
    });

    it('delete removes only the caller’s row, and the id can be stored again there', {
      timeout,
    }, async () => {
      const { a, b, id, rowB } = await twins();
      expect(await adapter().delete(a, id)).toBe(true);
      expect(await adapter().get(a, id)).toBeUndefined();
      expect(await adapter().get(b, id)).toEqual(rowB);
      expect(await adapter().getByEmails(b, [normalizeEmail(rowB.email)])).toEqual([rowB]);
      expect(await adapter().delete(a, id)).toBe(false);
      const back = buildCustomer(person(2), a, 2_000, () => id);
      await adapter().insertMany(a, [back]);
      expect(await adapter().get(a, id)).toEqual(back);
      expect(await adapter().get(b, id)).toEqual(rowB);
    });
  });

  describe('insertMany refuses a batch holding another organization’s customer', () => {
    it('names the first foreign row and writes nothing, in either organization', { timeout }, async () => {
      const a = freshOrg('batch-org-a');
      const b = freshOrg('batch-org-b');
      const batch = [make(a, person(1)), make(b, person(2)), make(a, person(3)), make(b, person(4))];
      const error = await expectCode(adapter().insertMany(a, batch), 'invalid_argument');
      expect((error as { argument?: string }).argument).toBe('customers[1].organizationId');
      expect(await adapter().count(a, {})).toBe(0);
      expect(await adapter().count(b, {})).toBe(0);
      expect(await adapter().get(a, batch[1]!.id)).toBeUndefined();
      expect(await adapter().get(b, batch[1]!.id)).toBeUndefined();
    });

    it('checks the organization before anything else about the batch', { timeout }, async () => {
      const a = freshOrg('batch-org-first-a');
      const b = freshOrg('batch-org-first-b');
      await adapter().insertMany(a, [make(a, person(1))]);
      // Row 0 repeats a stored email; row 1 belongs to B: the organization mismatch is what is reported.
      const error = await expectCode(
        adapter().insertMany(a, [make(a, person(1)), make(b, person(2))]),
        'invalid_argument',
      );
      expect((error as { argument?: string }).argument).toBe('customers[1].organizationId');
      expect(await adapter().count(a, {})).toBe(1);
      expect(await adapter().count(b, {})).toBe(0);
    });
  });
}
