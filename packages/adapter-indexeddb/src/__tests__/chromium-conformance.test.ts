import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { bundle, launchChromium, serve } from './chromium/chromium-harness';
import type { TestOutcome } from './chromium/vitest-shim';

// Bundle and open the page before registering tests: the names come from the page, so each check
// of the real conformance suite shows up (and fails) as its own vitest test.
const server = await serve(
  await bundle(fileURLToPath(new URL('./chromium/conformance-page.ts', import.meta.url))),
);
const browser = await launchChromium();
const page: Page = await browser.newPage();
const pageErrors: string[] = [];
page.on('pageerror', (error) => pageErrors.push(String(error)));
await page.goto(server.url);
await page.waitForFunction(() => '__conformance' in globalThis);
const names = await page.evaluate(() =>
  (globalThis as unknown as ConformanceGlobal).__conformance.testNames(),
);

interface ConformanceGlobal {
  __conformance: {
    testNames(): string[];
    runTest(name: string): Promise<TestOutcome>;
    selfCheck(): { mismatchFails: boolean; equalPasses: boolean };
    finishAll(): Promise<void>;
  };
}

describe('conformance suite in headless Chromium', () => {
  afterAll(async () => {
    await page.evaluate(() => (globalThis as unknown as ConformanceGlobal).__conformance.finishAll());
    await browser.close();
    await server.close();
  }, 30_000);

  it('registers the whole suite in the page, with working assertions', async () => {
    expect(names.length).toBeGreaterThanOrEqual(14);
    expect(pageErrors).toEqual([]);
    const check = await page.evaluate(() =>
      (globalThis as unknown as ConformanceGlobal).__conformance.selfCheck(),
    );
    expect(check).toEqual({ mismatchFails: true, equalPasses: true });
  });

  for (const name of names) {
    it(name, { timeout: 150_000 }, async () => {
      const result = await page.evaluate(
        (n) => (globalThis as unknown as ConformanceGlobal).__conformance.runTest(n),
        name,
      );
      if (!result.ok) throw new Error(`in Chromium: ${result.error}`);
      // A check that asserted nothing would prove nothing.
      expect(result.assertions).toBeGreaterThan(0);
      expect(pageErrors).toEqual([]);
    });
  }
});
