/**
 * Node side of the Chromium runs: bundles a browser entry with esbuild, serves it from a local
 * http server on 127.0.0.1 (IndexedDB needs a real origin) and drives the system Chromium through
 * playwright-core. Never downloads a browser.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** The Debian `chromium` package's binary; override with `CHROMIUM_PATH`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const SHIM = fileURLToPath(new URL('./vitest-shim.ts', import.meta.url));

/**
 * Bundles a browser entry (core and the adapter from source; `vitest` replaced by the shim).
 * @param entry - Path of the entry module.
 * @param options - `minify` for benchmarks (tests keep an inline source map instead).
 * @returns The bundled ES module source.
 */
export async function bundle(entry: string, options: { minify?: boolean } = {}): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    conditions: ['@donutauto/source'],
    alias: { vitest: SHIM },
    ...(options.minify ? { minify: true } : { sourcemap: 'inline' as const }),
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error(`esbuild produced nothing for ${entry}`);
  return out.text;
}

/** A local origin serving one page that loads one bundled script. */
export interface PageServer {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `index.html` (loading `/bundle.js` as a module) and the bundle.
 * @param script - The bundled module.
 * @returns The server.
 */
export async function serve(script: string): Promise<PageServer> {
  const html =
    '<!doctype html><meta charset="utf-8"><title>donutauto idb</title><script type="module" src="/bundle.js"></script>';
  const server: Server = createServer((req, res) => {
    if (req.url === '/bundle.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    } else if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Launches the system Chromium headless, offline-friendly flags only.
 * @returns The browser; close it when done.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Launches Chromium with an on-disk profile in a fresh temporary directory. Storage quotas behave
 * as for a real user only there (`Storage.overrideQuotaForOrigin` has no effect in incognito contexts).
 * @returns The context and a function closing it and deleting the profile.
 */
export async function launchChromiumProfile(): Promise<{
  context: BrowserContext;
  dispose(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'donutauto-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    async dispose() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
