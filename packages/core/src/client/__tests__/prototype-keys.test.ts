import {
  CUSTOM_FIELD_KEY,
  checkCustomFields,
  createCustomerClient,
  createMemoryAdapter,
  customersToCsv,
  isCustomerError,
  parseCustomerCsv,
  ValidationError,
  validateCustomerInput,
  validateCustomerPatch,
} from '@donutauto/core';
import { describe, expect, it } from 'vitest';

const base = { firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' };
const ben = { firstName: 'Ben', lastName: 'Ng', email: 'ben@example.com' };

/** Every `Object.prototype` member name, `__proto__` included. */
const NAMES = Object.getOwnPropertyNames(Object.prototype);
const VALID = NAMES.filter((name) => CUSTOM_FIELD_KEY.test(name));
const INVALID = NAMES.filter((name) => !CUSTOM_FIELD_KEY.test(name));

/** `{ [name]: value }` as an own property, even for `__proto__` (as `JSON.parse` makes it). */
function own(name: string, value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ x: value }).replace('"x"', JSON.stringify(name)));
}

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const chunk of chunks) out += chunk;
  return out;
}

/** The cells of one CSV column, below the header. */
function column(csv: string, header: string): string[] {
  const lines = csv.trimEnd().split('\r\n');
  const index = lines[0]!.split(',').indexOf(header);
  expect(index).toBeGreaterThanOrEqual(0);
  return lines.slice(1).map((line) => line.split(',')[index]!);
}

describe('Object.prototype names as custom field keys', () => {
  it('the test covers both kinds', () => {
    expect(VALID).toEqual(expect.arrayContaining(['constructor', 'toString', 'valueOf', 'hasOwnProperty']));
    expect(INVALID).toEqual(expect.arrayContaining(['__proto__', '__defineGetter__']));
  });

  for (const name of VALID) {
    it(`stores, updates, exports and imports a custom field keyed ${name}`, async () => {
      const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
      const ana = await client.add({ ...base, customFields: own(name, 'v') as never });
      expect(Object.hasOwn(ana.customFields, name)).toBe(true);
      expect(ana.customFields[name]).toBe('v');
      const plain = await client.add(ben);
      expect(Object.hasOwn(plain.customFields, name)).toBe(false);

      // Export: the customer without the key has an empty cell, never the prototype's member.
      const keys = { customFieldKeys: [name] };
      expect(column(customersToCsv([ana, plain], keys), `custom.${name}`)).toEqual(['v', '']);
      expect(column(await collect(client.exportCsv(keys)), `custom.${name}`)).toEqual(['v', '']);
      expect(column(await collect(client.exportCsv()), `custom.${name}`)).toEqual(['v', '']);

      // Import of that export reads the key back as an own property.
      const parsed = await parseCustomerCsv(customersToCsv([ana, plain], keys));
      expect(parsed.issues).toEqual([]);
      expect(parsed.customers.map((c) => Object.hasOwn(c.customFields, name))).toEqual([true, false]);
      expect(parsed.customers[0]!.customFields[name]).toBe('v');
      const other = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
      const report = await other.importCsv(customersToCsv([ana, plain], keys));
      expect(report.addedCount).toBe(2);
      const { page } = await other.list({ numItems: 10, sort: 'oldest' });
      expect(
        page.map((c) => (Object.hasOwn(c.customFields, name) ? c.customFields[name] : 'absent')),
      ).toEqual(['v', 'absent']);

      // A patch replaces the custom fields with own properties only.
      const updated = await client.update(plain.id, { customFields: own(name, 7) as never });
      expect(updated.customFields).toEqual(own(name, 7));
      expect(validateCustomerPatch({ customFields: own(name, true) })).toEqual({
        customFields: own(name, true),
      });
    });
  }

  for (const name of INVALID) {
    it(`refuses the key ${name} with an issue naming it`, () => {
      for (const customFields of [own(name, 'v'), own(name, { polluted: true })]) {
        try {
          validateCustomerInput({ ...base, customFields });
          throw new Error('accepted');
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).issues.map((i) => [i.path, i.code])).toEqual([
            [['customFields', name], 'invalid_format'],
          ]);
        }
      }
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    });
  }
});

describe('Object.prototype names as custom field definition keys', () => {
  for (const name of VALID) {
    it(`checks a definition keyed ${name} against own values only`, async () => {
      const definitions = [{ key: name, type: 'number' as const, required: true }];
      expect(checkCustomFields({}, definitions).map((i) => [i.path, i.code])).toEqual([
        [['customFields', name], 'required'],
      ]);
      const client = createCustomerClient({
        adapter: createMemoryAdapter(),
        organizationId: 'org',
        customFields: definitions,
      });
      const missing = await client.add(base).catch((error: unknown) => error);
      expect(isCustomerError(missing, 'validation_failed')).toBe(true);
      expect((missing as ValidationError).issues.map((i) => [i.path, i.code])).toEqual([
        [['customFields', name], 'required'],
      ]);
      const wrong = await client.add({ ...base, customFields: own(name, 'x') as never }).catch((e) => e);
      expect((wrong as ValidationError).issues.map((i) => [i.path, i.code])).toEqual([
        [['customFields', name], 'invalid_type'],
      ]);
      const ana = await client.add({ ...base, customFields: own(name, 3) as never });
      expect(column(await collect(client.exportCsv()), `custom.${name}`)).toEqual(['3']);
      const report = await createCustomerClient({
        adapter: createMemoryAdapter(),
        organizationId: 'org',
        customFields: [{ key: name, type: 'number' }],
      }).importCsv(
        `firstName,lastName,email,custom.${name}\r\nBen,Ng,ben@example.com,\r\nAna,Li,a@b.io,4\r\n`,
      );
      expect(report.errorCount).toBe(0);
      expect(report.addedCount).toBe(2);
      expect(ana.customFields[name]).toBe(3);
    });
  }

  for (const name of INVALID) {
    it(`refuses a definition keyed ${name} when the client is created`, () => {
      try {
        createCustomerClient({
          adapter: createMemoryAdapter(),
          organizationId: 'org',
          customFields: [{ key: name, type: 'text' }],
        });
        throw new Error('accepted');
      } catch (error) {
        expect(isCustomerError(error, 'invalid_argument')).toBe(true);
        expect((error as { argument: string }).argument).toBe('customFields');
      }
    });
  }
});
