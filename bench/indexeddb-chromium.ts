/**
 * Runs a bundled browser entry in the system Chromium for the IndexedDB benchmark, with the same
 * harness as the adapter's browser tests: esbuild bundle (core and adapter from source), a local
 * http origin on 127.0.0.1, a disk-backed temporary profile.
 */
import type { Page } from 'playwright-core';
import {
  bundle,
  launchChromiumProfile,
  serve,
} from '../packages/adapter-indexeddb/src/__tests__/chromium/chromium-harness';

/**
 * Bundles a browser entry as one minified ES module.
 * @param entry - Path of the entry file.
 * @returns The bundled source.
 */
export function bundleBrowserEntry(entry: string): Promise<string> {
  return bundle(entry, { minify: true });
}

/**
 * Serves the script from 127.0.0.1 and opens it in headless Chromium with a fresh on-disk profile.
 * @param script - The bundled module.
 * @param readyGlobal - A global the script defines once loaded.
 * @returns The page, the browser version and a function that cleans everything up.
 */
export async function openChromiumPage(
  script: string,
  readyGlobal: string,
): Promise<{ page: Page; version: string; close(): Promise<void> }> {
  const server = await serve(script);
  const profile = await launchChromiumProfile();
  const page = await profile.context.newPage();
  page.setDefaultTimeout(0);
  await page.goto(server.url);
  await page.waitForFunction((name) => name in globalThis, readyGlobal);
  return {
    page,
    version: profile.context.browser()?.version() ?? 'unknown',
    async close() {
      await profile.dispose();
      await server.close();
    },
  };
}
