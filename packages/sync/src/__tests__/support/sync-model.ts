import { type Customer, normalizeEmail, type StorageAdapter, uuidv7 } from '@donutauto/core';
import { buildCustomer } from '@donutauto/core/adapter';
import { canonicalJson, customerDataFixture } from '@donutauto/testing';
import fc from 'fast-check';
import { expect } from 'vitest';
import { allCustomers, serverOf, type Tablet, tablet } from './tablets';

/** Fields the model edits (they start empty, so every value in them comes from an edit). */
export const EDITED_FIELDS = ['notes', 'location', 'gender'] as const;
const SEED_EMAILS = ['seed0@example.com', 'seed1@example.com', 'seed2@example.com', 'seed3@example.com'];
/** Emails of customers the tablets add: few, so two tablets often add the same one. */
const NEW_EMAILS = ['new0@example.com', 'new1@example.com', 'new2@example.com'];

/** One step of one tablet. */
export type Step =
  | {
      readonly t: number;
      readonly kind: 'edit';
      readonly pick: number;
      readonly field: (typeof EDITED_FIELDS)[number];
    }
  | { readonly t: number; readonly kind: 'add'; readonly email: number; readonly phone: boolean }
  | { readonly t: number; readonly kind: 'delete'; readonly pick: number }
  | { readonly t: number; readonly kind: 'offline' | 'online' | 'sync' | 'reload' }
  | { readonly t: number; readonly kind: 'drop'; readonly when: 'before' | 'after' };

/** Steps of `tablets` tablets, in random order. */
export function stepsArbitrary(tablets: number): fc.Arbitrary<Step[]> {
  const t = fc.integer({ min: 0, max: tablets - 1 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        t,
        kind: fc.constant('edit' as const),
        pick: fc.nat(),
        field: fc.constantFrom(...EDITED_FIELDS),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        t,
        kind: fc.constant('add' as const),
        email: fc.nat(NEW_EMAILS.length - 1),
        phone: fc.boolean(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ t, kind: fc.constant('delete' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ t, kind: fc.constantFrom('offline' as const, 'online' as const) }) },
    { weight: 3, arbitrary: fc.record({ t, kind: fc.constant('sync' as const) }) },
    { weight: 1, arbitrary: fc.record({ t, kind: fc.constant('reload' as const) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        t,
        kind: fc.constant('drop' as const),
        when: fc.constantFrom('before' as const, 'after' as const),
      }),
    },
  );
  return fc.array(step, { minLength: 5, maxLength: 40 });
}

/**
 * Runs one scenario against a server store and checks the outcome: after every tablet is back
 * online and has synced, the tablets hold exactly the server's customers; each added email is
 * stored once; deleted customers are gone; every tablet's last edit of a field is the stored value
 * or was reported overwritten, and a field only one tablet edited holds its edit.
 * @param store - The server's store (memory or PostgreSQL), shared by scenarios.
 * @param org - An organization of its own for this scenario.
 * @param tabletCount - 2 or 3.
 * @param steps - The scenario.
 */
export async function runScenario(
  store: StorageAdapter,
  org: string,
  tabletCount: number,
  steps: readonly Step[],
): Promise<void> {
  const server = serverOf(store, org);
  const seeds = SEED_EMAILS.map((email, i) =>
    buildCustomer(
      customerDataFixture({ firstName: `Seed${i}`, lastName: 'Shop', email }),
      org,
      Date.now(),
      uuidv7,
    ),
  );
  await store.insertMany(org, seeds);
  const tablets: Tablet[] = Array.from({ length: tabletCount }, () => tablet(server, org));
  for (const t of tablets) await t.adapter.sync();

  /** `${email}|${field}` → tablet → its last value. */
  const lastEdits = new Map<string, Map<number, string>>();
  /** `${email}|${field}|${value}` of every value an edit replaced knowingly (it was on the editor's screen). */
  const seen = new Set<string>();
  const added = new Set<string>();
  const deleted = new Set<string>();
  let counter = 0;
  for (const step of steps) {
    const t = tablets[step.t]!;
    const customers = await allCustomers(t.adapter, org);
    switch (step.kind) {
      case 'edit': {
        const target = customers[step.pick % Math.max(1, customers.length)];
        if (!target) break;
        const value = `t${step.t}-${counter++}`;
        await t.adapter.update(org, target.id, { [step.field]: value }, { updatedAt: Date.now() });
        const key = `${normalizeEmail(target.email)}|${step.field}`;
        seen.add(`${key}|${String(target[step.field])}`);
        if (!lastEdits.has(key)) lastEdits.set(key, new Map());
        lastEdits.get(key)!.set(step.t, value);
        break;
      }
      case 'add': {
        const email = NEW_EMAILS[step.email]!;
        if (customers.some((c) => normalizeEmail(c.email) === email)) break;
        const data = customerDataFixture(
          { firstName: `New${step.t}`, lastName: 'Walk-in', email },
          step.phone ? { phone: `+44${1000000 + step.t}` } : {},
        );
        await t.adapter.insertMany(org, [buildCustomer(data, org, Date.now(), uuidv7)]);
        added.add(email);
        break;
      }
      case 'delete': {
        const seeded = customers.filter((c) => SEED_EMAILS.includes(normalizeEmail(c.email)));
        const target = seeded[step.pick % Math.max(1, seeded.length)];
        if (!target) break;
        await t.adapter.delete(org, target.id);
        deleted.add(normalizeEmail(target.email));
        break;
      }
      case 'offline':
        t.net.online = false;
        break;
      case 'online':
        t.net.online = true;
        break;
      case 'sync':
        await t.adapter.sync().catch(() => {}); // offline or a dropped request: it stays queued
        break;
      case 'reload':
        await t.reload();
        break;
      case 'drop':
        t.net.drops.push(step.when);
        break;
    }
  }

  // Everyone back online; sync until every tablet holds the server's customers (PostgreSQL's feed
  // may show a change only once other sessions' older transactions end: bounded retries).
  for (const t of tablets) {
    t.net.online = true;
    t.net.drops.length = 0;
  }
  let stored: Customer[] = [];
  const deadline = Date.now() + 120_000;
  for (let round = 0; ; round++) {
    for (const t of tablets) await t.adapter.sync();
    stored = await allCustomers(store, org);
    const held = await Promise.all(tablets.map((t) => allCustomers(t.local, org)));
    const same = held.every((h) => canonicalJson(h) === canonicalJson(stored));
    if ((round >= 1 && same) || Date.now() > deadline) {
      for (const h of held) expect(h).toEqual(stored);
      break;
    }
  }
  for (const t of tablets) {
    expect(await t.local.outboxSize(org)).toBe(0);
    expect(t.adapter.status).toMatchObject({ pendingCount: 0, online: true, lastError: null });
    await t.adapter.close();
  }

  // The model never writes anything the server refuses.
  expect(tablets.flatMap((t) => t.conflicts.filter((c) => c.kind === 'rejected'))).toEqual([]);
  // No duplicates, nothing lost, deletes applied.
  const emails = stored.map((c) => normalizeEmail(c.email)).sort();
  const expected = [...SEED_EMAILS.filter((e) => !deleted.has(e)), ...added].sort();
  expect(emails).toEqual(expected);

  // Edits: the later edit of a field wins; each edit it replaced was either on the later editor's
  // screen (an ordinary sequence of edits) or reported.
  const reported = new Set(
    tablets.flatMap((t) =>
      t.conflicts.flatMap((c) => (c.kind === 'overwritten' ? [`${c.field}|${String(c.overwritten)}`] : [])),
    ),
  );
  const byEmail = new Map(stored.map((c) => [normalizeEmail(c.email), c]));
  for (const [key, perTablet] of lastEdits) {
    const [email, field] = key.split('|') as [string, (typeof EDITED_FIELDS)[number]];
    const customer = byEmail.get(email);
    if (!customer) continue;
    const final = customer[field];
    if (perTablet.size === 1) expect(final).toBe([...perTablet.values()][0]);
    for (const value of perTablet.values()) {
      if (value === final || seen.has(`${key}|${value}`)) continue;
      expect(reported, `${key}: ${value} lost without a report`).toContain(`${field}|${value}`);
    }
  }
}
