/**
 * Runs a bundled browser entry in the system Chromium for the IndexedDB benchmark: esbuild bundle
 * (core and adapter from source), a local http origin on 127.0.0.1, a disk-backed temporary profile.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';

/**
 * Bundles a browser entry as one ES module.
 * @param entry - Path of the entry file.
 * @returns The bundled source.
 */
export async function bundleBrowserEntry(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    conditions: ['@donutauto/source'],
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error(`esbuild produced nothing for ${entry}`);
  return out.text;
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
  const server = createServer((req, res) => {
    if (req.url === '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><script type="module" src="/bundle.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = await mkdtemp(join(tmpdir(), 'donutauto-bench-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await context.newPage();
  page.setDefaultTimeout(0);
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForFunction((name) => name in globalThis, readyGlobal);
  return {
    page,
    version: context.browser()?.version() ?? 'unknown',
    async close() {
      await context.close();
      server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
