/**
 * Browser entry of the Chromium conformance run: registers the core conformance suite (the real
 * one, imported from `@donutauto/testing`, whose `vitest` import the bundler points at
 * `vitest-shim.ts`) against the adapter on Chromium's own IndexedDB, and exposes the runner to Node.
 */
import { createIndexedDbAdapter } from '@donutauto/adapter-indexeddb';
import { runAdapterConformance } from '@donutauto/testing';
import { expect, finishAll, runTest, testNames } from './vitest-shim';

runAdapterConformance({
  name: 'indexeddb (Chromium)',
  factory: () => createIndexedDbAdapter({ name: `conformance-${Date.now()}` }),
  teardown: (adapter) => adapter.close?.(),
  capabilities: { outbox: true, equivalenceRuns: 25 },
});

/** Proves the page's matchers really compare (a vacuous `expect` would make every check pass). */
function selfCheck(): { mismatchFails: boolean; equalPasses: boolean } {
  let mismatchFails = false;
  try {
    expect({ ids: ['a', 'b'] }).toEqual({ ids: ['a', 'c'] });
  } catch {
    mismatchFails = true;
  }
  let equalPasses = true;
  try {
    expect({ ids: ['a', 'b'], n: null }).toEqual({ ids: ['a', 'b'], n: null });
  } catch {
    equalPasses = false;
  }
  return { mismatchFails, equalPasses };
}

Object.assign(globalThis, { __conformance: { testNames, runTest, finishAll, selfCheck } });
