import {
  createCustomerClient,
  createMemoryAdapter,
  isCustomerError,
  normalizeEmail,
  ValidationError,
  validateCustomerField,
  validateCustomerInput,
} from '@donutauto/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const base = { firstName: 'Ana', lastName: 'Li' };

function emailIssue(email: unknown): string | undefined {
  try {
    validateCustomerField('email', email);
    return undefined;
  } catch (error) {
    if (error instanceof ValidationError) return error.issues[0]?.code;
    throw error;
  }
}

describe('internationalized email addresses', () => {
  it('accepts RFC 6531 local parts and internationalized domain names', () => {
    for (const email of [
      'zoë@example.com',
      'ana@bäckerei.de',
      'josé.garcía@correo.es',
      '用户@例子.广告',
      'θσερ@εχαμπλε.ψομ',
      'Δήμητρα@παράδειγμα.ελ',
      'пользователь@пример.рф',
      'अजय@डाटा.भारत',
      'ana@xn--bckerei-5wa.de',
      'ana@example.xn--p1ai',
      "o'neil+donuts@mail.example.co",
    ]) {
      expect(emailIssue(email), email).toBeUndefined();
      expect(validateCustomerInput({ ...base, email }).email).toBe(email);
    }
  });

  it('keeps rejecting what is not an address', () => {
    for (const email of [
      'ana',
      'ana@',
      '@example.com',
      'a b@example.com',
      'ana@example',
      'ana@.de',
      'a..b@example.com',
      '.ana@example.com',
      'ana.@example.com',
      "ana'@example.com",
      'ana@@example.com',
      'ana@example..com',
      'ana@-example.com',
      'ana@exa_mple.com',
      'ana@example.c',
      'ana@example.1de',
      'ana＠example.com',
      'an\u00a0a@example.com',
      '\u0301ana@example.com',
      '🍩@example.com',
      'ana@🍩.com',
      'ana@example.com.',
      '<ana@example.com>',
      'Ana Li <ana@example.com>',
    ]) {
      expect(emailIssue(email), email).toBe('invalid_format');
    }
  });

  it('agrees with zod’s ASCII email rule on ASCII text', () => {
    const ascii = fc.oneof(
      fc.stringMatching(/^[a-zA-Z0-9_'+\-.]{0,6}@[a-zA-Z0-9\-.]{0,8}$/),
      fc.string({
        unit: fc.constantFrom('a', 'Z', '0', '_', "'", '+', '-', '.', '@', '!', '#'),
        maxLength: 14,
      }),
    );
    fc.assert(
      fc.property(ascii, (email) => {
        // The one ASCII extension: punycode top-level domains (`xn--p1ai`), refused by zod.
        fc.pre(!email.includes('xn--'));
        const zod = z.email().safeParse(email).success;
        expect(emailIssue(email) === undefined || emailIssue(email) === 'required').toBe(
          zod || email.trim() === '',
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('stores the email NFC-normalized and keeps its case', () => {
    const decomposed = 'Zoe\u0308@Ba\u0308ckerei.de';
    const data = validateCustomerInput({ ...base, email: `  ${decomposed} ` });
    expect(data.email).toBe('Zoë@Bäckerei.de');
    expect(data.email).toBe(decomposed.normalize('NFC'));
    expect(normalizeEmail(decomposed)).toBe('zoë@bäckerei.de');
  });

  it('makes emails that differ in case or Unicode composition duplicates', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    await client.add({ ...base, email: 'zoë@bäckerei.de' });
    for (const email of ['ZOË@BÄCKEREI.DE', 'zoe\u0308@ba\u0308ckerei.de', 'ZOE\u0308@Bäckerei.de']) {
      const error = await client.add({ ...base, email }).catch((e: unknown) => e);
      expect(isCustomerError(error, 'duplicate_email'), email).toBe(true);
      expect((error as { email: string }).email).toBe('zoë@bäckerei.de');
    }
  });
});

describe('normalizeEmail', () => {
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.string({
      unit: fc.constantFrom('a', 'Z', '@', '.', ' ', 'É', 'e\u0301', 'E\u0301', 'ß', '\u0130', 'Σ', '~'),
      maxLength: 12,
    }),
  );

  it('is trim, NFC, lower case (the ASCII shortcut changes nothing)', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(normalizeEmail(value)).toBe(value.trim().normalize('NFC').toLowerCase().normalize('NFC'));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives canonically equivalent addresses one key, and is idempotent', () => {
    fc.assert(
      fc.property(text, (value) => {
        const key = normalizeEmail(value);
        expect(normalizeEmail(value.normalize('NFD'))).toBe(key);
        expect(normalizeEmail(key)).toBe(key);
      }),
      { numRuns: 1000 },
    );
  });
});
