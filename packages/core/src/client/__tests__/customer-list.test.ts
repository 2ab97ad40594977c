import { createHmac } from 'node:crypto';
import { type CUSTOMER_SORTS, createCustomerClient, createMemoryAdapter } from '@donutauto/core';
import { encodeCursor } from '@donutauto/core/adapter';
import { describe, expect, it } from 'vitest';
import { codeOf } from './code-of';

async function seeded(options: { cursorSecret?: string } = {}) {
  const adapter = createMemoryAdapter();
  let now = 1_000;
  const client = createCustomerClient({ adapter, organizationId: 'org_a', now: () => now++, ...options });
  const names = [
    ['Zoë', 'Ng'],
    ['ana', 'Müller'],
    ['Bo', 'muller'],
    ['Ana', 'Ng'],
  ] as const;
  for (const [i, [firstName, lastName]] of names.entries()) {
    await client.add({ firstName, lastName, email: `person${i}@example.com` });
  }
  return { adapter, client };
}

describe('client.list sorts', () => {
  it('lists by every sort, names folded', async () => {
    const { client } = await seeded();
    const names = async (sort: (typeof CUSTOMER_SORTS)[number]) =>
      (await client.list({ numItems: 10, sort })).page.map((c) => `${c.firstName} ${c.lastName}`);
    expect(await names('lastName')).toEqual(['ana Müller', 'Bo muller', 'Ana Ng', 'Zoë Ng']);
    expect(await names('firstName')).toEqual(['ana Müller', 'Ana Ng', 'Bo muller', 'Zoë Ng']);
    expect(await names('oldest')).toEqual(['Zoë Ng', 'ana Müller', 'Bo muller', 'Ana Ng']);
    expect(await codeOf(client.list({ numItems: 10, sort: 'name' as never }))).toBe('invalid_argument');
  });
});

describe('cursorSecret', () => {
  it('signs cursors with HMAC-SHA-256 over the organization and the cursor', async () => {
    const secret = 'a secret of thirty-two bytes....';
    const { client } = await seeded({ cursorSecret: secret });
    const first = await client.list({ numItems: 2, sort: 'lastName' });
    const [inner, tag] = first.continueCursor.split('~');
    expect(tag).toBe(createHmac('sha256', secret).update(`org_a\u0000${inner}`).digest('base64url'));
    const second = await client.list({ numItems: 2, sort: 'lastName', cursor: first.continueCursor });
    expect(second.page.map((c) => c.firstName)).toEqual(['Ana', 'Zoë']);
  });

  it('refuses a cursor that is unsigned, re-signed with another secret or altered', async () => {
    const { client, adapter } = await seeded({ cursorSecret: 'a secret of thirty-two bytes....' });
    const first = await client.list({ numItems: 2 });
    const [inner] = first.continueCursor.split('~');
    // A forged position with a valid checksum passes the adapter's integrity check, not the signature.
    const forged = encodeCursor('org_a', { filter: {}, sort: 'newest' }, [999_999, 'z']);
    for (const cursor of [
      inner!,
      forged,
      `${forged}~${first.continueCursor.split('~')[1]}`,
      `${first.continueCursor}x`,
    ]) {
      expect(await codeOf(client.list({ numItems: 2, cursor }))).toBe('invalid_cursor');
    }
    const unsigned = createCustomerClient({ adapter, organizationId: 'org_a' });
    expect(await codeOf(unsigned.list({ numItems: 2, cursor: first.continueCursor }))).toBe('invalid_cursor');
    const other = createCustomerClient({
      adapter,
      organizationId: 'org_a',
      cursorSecret: 'another secret, also long enough',
    });
    expect(await codeOf(other.list({ numItems: 2, cursor: first.continueCursor }))).toBe('invalid_cursor');
  });

  it('refuses a secret shorter than 16 bytes', () => {
    expect(() =>
      createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'o', cursorSecret: 'short' }),
    ).toThrowError(/cursorSecret/);
  });
});
