import { createMemoryAdapter } from '@donutauto/core';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { runScenario, stepsArbitrary } from './support/sync-model';

describe('createSyncedAdapter (model: offline tablets against a memory server)', () => {
  it('converges with no edit lost unreported and no customer duplicated', { timeout: 240_000 }, async () => {
    const store = createMemoryAdapter();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 3 }), stepsArbitrary(3), async (tablets, steps) => {
        await runScenario(
          store,
          `org-model-${run++}`,
          tablets,
          steps.map((s) => ({ ...s, t: s.t % tablets })),
        );
      }),
      { numRuns: 150 },
    );
  });
});
