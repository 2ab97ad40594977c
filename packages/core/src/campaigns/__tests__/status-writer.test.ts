import type { CampaignStore, CampaignUpdate } from '@donutauto/core';
import { describe, expect, it } from 'vitest';
import { createStatusWriter } from '../status-writer';
import { runUntil, virtualClock } from './campaign-test-kit';

/** A store whose `updateCampaigns` answers after the delays given in turn (virtual ms). */
function slowStore(clock: ReturnType<typeof virtualClock>, delays: number[]) {
  const batches: string[][] = [];
  const store = {
    updateCampaigns(_org: string, updates: readonly CampaignUpdate[]) {
      batches.push(updates.map((u) => u.id));
      const delay = delays.shift() ?? 0;
      return new Promise((resolve) =>
        clock.setTimeout(() => resolve({ updated: [], conflicts: updates.map((u) => u.id) }), delay),
      );
    },
  } as unknown as CampaignStore;
  return { store, batches };
}

describe('createStatusWriter', () => {
  it('keeps flushing after its timer fired with nothing left to send', async () => {
    const clock = virtualClock(0);
    const { store, batches } = slowStore(clock, [100, 0]);
    const writer = createStatusWriter({
      store,
      organizationId: 'org',
      timers: clock,
      versionOf: () => 1,
      onWritten: () => {},
      maxBatch: 100,
      delayMs: 50,
      random: () => 0,
    });
    writer.write('a', { status: 'completed' }); // sent at 50 ms, answered at 150 ms
    await runUntil(clock, () => clock.now() >= 60);
    writer.write('b', { status: 'completed' }); // its timer fires at 110 ms, while 'a' is out
    await runUntil(clock, () => batches.length === 2 && clock.now() >= 150);
    // 'b' went out right after 'a'; the timer then found nothing to send.
    await runUntil(clock, () => clock.pending() === 0);
    writer.write('c', { status: 'completed' });
    await runUntil(clock, () => clock.pending() === 0);
    expect(batches).toEqual([['a'], ['b'], ['c']]);
    await writer.drain();
  });
});
