import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSha256, sha256 } from '../hmac-sha256';

describe('sha256 and hmacSha256', () => {
  it('agree with node:crypto on any bytes and keys, across block boundaries', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 150 }), (message, key) => {
        expect(Buffer.from(sha256(message)).toString('hex')).toBe(
          createHash('sha256').update(message).digest('hex'),
        );
        expect(Buffer.from(hmacSha256(key, message)).toString('hex')).toBe(
          createHmac('sha256', key).update(message).digest('hex'),
        );
      }),
      { numRuns: 500 },
    );
    // FIPS 180-4 example: "abc".
    expect(Buffer.from(sha256(new TextEncoder().encode('abc'))).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
