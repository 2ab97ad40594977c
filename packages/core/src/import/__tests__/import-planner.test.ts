import { type Customer, type PlannerRow, planImport, UNKNOWN_CONSENT } from '@donutauto/core';
import { describe, expect, it } from 'vitest';

const row = (n: number, input: Record<string, unknown>): PlannerRow => ({
  row: n,
  input,
  columns: { email: 'E-mail' },
});
const stored: Customer = {
  id: 'c1',
  organizationId: 'org',
  createdAt: 1,
  updatedAt: 1,
  version: 3,
  firstName: 'Ana',
  lastName: 'Li',
  email: 'ana@example.com',
  phone: null,
  dob: null,
  preferences: ['glazed'],
  instagramHandle: null,
  tiktokHandle: null,
  twitterHandle: null,
  gender: null,
  location: 'Downtown',
  notes: null,
  tags: [],
  customFields: { tier: 'gold' },
  consent: { email: UNKNOWN_CONSENT, sms: UNKNOWN_CONSENT, socialDm: UNKNOWN_CONSENT },
};

describe('planImport', () => {
  it('inserts new rows, skips later duplicates naming the first row, and errors invalid rows', () => {
    const plan = planImport({
      rows: [
        row(2, { firstName: 'Bo', lastName: 'Ng', email: 'bo@example.com' }),
        row(3, { firstName: 'Bo', lastName: 'Ng', email: ' BO@example.com' }),
        row(4, { firstName: 'Cy', lastName: 'Wu', email: 'cy@example.com' }),
        row(5, { firstName: '', lastName: 'Wu', email: 'x@example.com' }),
      ],
      seenEmails: new Map([['cy@example.com', 1]]),
      existing: [],
    });
    expect(plan.actions.map((a) => a.kind)).toEqual(['insert', 'skip', 'skip', 'error']);
    expect(plan.issues).toEqual([
      expect.objectContaining({
        row: 3,
        column: 'E-mail',
        code: 'duplicate_in_file',
        level: 'warning',
        message: expect.stringContaining('row 2'),
      }),
      expect.objectContaining({
        row: 4,
        code: 'duplicate_in_file',
        message: expect.stringContaining('row 1'),
      }),
      expect.objectContaining({ row: 5, field: 'firstName', code: 'required', level: 'error' }),
    ]);
    expect([...plan.newEmails]).toEqual([['bo@example.com', 2]]);
  });

  it('applies the duplicate policies to stored customers', () => {
    const input = row(2, {
      firstName: 'Anna',
      lastName: 'Li',
      email: 'ANA@example.com',
      phone: '5550100',
      location: 'Harbour',
      customFields: { tier: 'silver', visits: 2 },
    });
    const skip = planImport({ rows: [input], seenEmails: new Map(), existing: [stored] });
    expect(skip.actions).toEqual([{ kind: 'skip', row: 2, reason: 'duplicate_existing', existingId: 'c1' }]);
    const update = planImport({
      rows: [input],
      seenEmails: new Map(),
      existing: [stored],
      onDuplicate: 'update',
    });
    expect(update.actions).toEqual([
      {
        kind: 'update',
        row: 2,
        id: 'c1',
        expectedVersion: 3,
        patch: {
          firstName: 'Anna',
          phone: '5550100',
          location: 'Harbour',
          customFields: { tier: 'silver', visits: 2 },
        },
      },
    ]);
    const merge = planImport({
      rows: [input],
      seenEmails: new Map(),
      existing: [stored],
      onDuplicate: 'merge',
    });
    expect(merge.actions).toEqual([
      {
        kind: 'update',
        row: 2,
        id: 'c1',
        expectedVersion: 3,
        patch: { phone: '5550100', customFields: { tier: 'gold', visits: 2 } },
      },
    ]);
  });

  it('skips rows that would change nothing, so re-running writes nothing', () => {
    const same = row(2, {
      firstName: 'Ana',
      lastName: 'Li',
      email: 'ana@example.com',
      preferences: ['glazed'],
    });
    for (const onDuplicate of ['update', 'merge'] as const) {
      expect(
        planImport({ rows: [same], seenEmails: new Map(), existing: [stored], onDuplicate }).actions,
      ).toEqual([{ kind: 'skip', row: 2, reason: 'unchanged', existingId: 'c1' }]);
    }
  });

  it('treats upstream errors and forbidden fields as row errors', () => {
    const plan = planImport({
      rows: [
        {
          row: 2,
          input: { firstName: 'A', lastName: 'B', email: 'a@example.com' },
          issues: [{ row: 2, code: 'ambiguous_date', message: 'x', level: 'error' }],
        },
        row(3, { firstName: 'A', lastName: 'B', email: 'b@example.com', id: 'hack' }),
      ],
      seenEmails: new Map(),
      existing: [],
    });
    expect(plan.actions.map((a) => a.kind)).toEqual(['error', 'error']);
    expect(plan.issues.map((i) => i.code)).toEqual(['ambiguous_date', 'forbidden_field']);
    expect(plan.newEmails.size).toBe(0);
  });
});

describe('planImport purity', () => {
  const deepFreeze = <T>(value: T): T => {
    if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const child of Object.values(value)) deepFreeze(child);
    }
    return value;
  };

  it('changes none of its input and plans the same input the same way twice', () => {
    const rows = deepFreeze([
      row(2, { firstName: 'Anna', lastName: 'Li', email: 'ANA@example.com', phone: 'call me' }),
      row(3, { firstName: 'Bo', lastName: 'Ng', email: 'bo@example.com', tags: ['vip'] }),
      row(4, { firstName: 'Bo', lastName: 'Ng', email: 'BO@example.com' }),
      row(5, { firstName: '', lastName: 'Wu', email: 'cy@example.com' }),
    ]);
    const seen = new Map([['dee@example.com', 1]]);
    const seenEmails = deepFreeze({ get: (email: string) => seen.get(email) });
    const input = deepFreeze({
      rows,
      seenEmails,
      existing: deepFreeze([stored]),
      onDuplicate: 'update' as const,
    });
    const before = structuredClone({ rows, existing: [stored] });
    const first = planImport(input);
    const second = planImport(input);
    expect(second).toEqual(first);
    expect({ rows, existing: [stored] }).toEqual(before);
    expect([...seen]).toEqual([['dee@example.com', 1]]);
    expect([...first.newEmails]).toEqual([
      ['ana@example.com', 2],
      ['bo@example.com', 3],
    ]);
  });
});
