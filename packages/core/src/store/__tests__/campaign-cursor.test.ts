import { isCustomerError } from '@donutauto/core';
import { campaignListKey, encodeCampaignCursor, readCampaignCursor } from '@donutauto/core/adapter';
import { describe, expect, it } from 'vitest';

describe('readCampaignCursor', () => {
  it('refuses a forged position whose checksum holds but which is not a (createdAt, id) key', () => {
    const key = campaignListKey('runs');
    for (const position of [
      [1.5, 'x'],
      [-1, 'x'],
      [2 ** 53, 'x'],
      [1_000, 'a\u0000b'],
      [1_000, '\ud800'],
      [1_000, ''],
    ]) {
      const cursor = encodeCampaignCursor('org', key, position as [number, string]);
      let code: unknown = 'accepted';
      try {
        readCampaignCursor('org', key, cursor);
      } catch (error) {
        code = isCustomerError(error) ? error.code : error;
      }
      expect([position, code]).toEqual([position, 'invalid_cursor']);
    }
    expect(readCampaignCursor('org', key, encodeCampaignCursor('org', key, [1_000, 'run-1']))).toEqual([
      1_000,
      'run-1',
    ]);
  });
});
