import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Customer, createMemoryAdapter } from '@donutauto/core';
import { createCustomersHandler } from '@donutauto/server';
import { toNodeHandler } from '@donutauto/server/node';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ORG = 'org_shop';

interface TabletGlobal {
  __tablet: {
    add(input: Record<string, unknown>): Promise<Customer>;
    update(id: string, patch: Record<string, unknown>): Promise<Customer>;
    list(): Promise<Customer[]>;
    status(): { online: boolean; pendingCount: number };
  };
}

describe('a tablet in Chromium (IndexedDB + HTTP)', () => {
  const store = createMemoryAdapter();
  let server: Server;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const bundled = await build({
      entryPoints: [fileURLToPath(new URL('./support/chromium-tablet.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      conditions: ['@donutauto/source'],
      logLevel: 'silent',
    });
    const script = bundled.outputFiles[0]!.text;
    const api = toNodeHandler(createCustomersHandler({ adapter: store, authorize: () => ORG }));
    server = createServer((req, res) => {
      if (req.url?.startsWith('/api/')) return api(req, res);
      if (req.url === '/tablet.js')
        return res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><meta charset="utf-8"><script type="module" src="/tablet.js"></script>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  const tablet = () => page.evaluateHandle(() => (globalThis as unknown as TabletGlobal).__tablet);
  const ready = () => page.waitForFunction(() => '__tablet' in globalThis);
  const status = () => page.evaluate(() => (globalThis as unknown as TabletGlobal).__tablet.status());

  it('adds and edits with the network cut, keeps them over a reload, and the server catches up', {
    timeout: 120_000,
  }, async () => {
    await page.goto(url);
    await ready();
    // The Wi-Fi drops: every request to the API fails as a network error.
    await page.route('**/api/**', (route) => route.abort('internetdisconnected'));
    const ana = await (await tablet()).evaluate((t) =>
      t.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' }),
    );
    await (await tablet()).evaluate(
      (t, id) => t.update(id, { notes: 'Oat milk', preferences: ['glazed'] }),
      ana.id,
    );
    await expect.poll(status, { timeout: 10_000 }).toMatchObject({ online: false, pendingCount: 2 });
    expect(await store.get(ORG, ana.id)).toBeUndefined();

    // Staff reload the page while still offline: the outbox is in IndexedDB.
    await page.reload();
    await ready();
    expect(await (await tablet()).evaluate((t) => t.list())).toMatchObject([
      { id: ana.id, notes: 'Oat milk' },
    ]);
    await expect.poll(status, { timeout: 10_000 }).toMatchObject({ pendingCount: 2 });

    // Back online: background sync sends both writes.
    await page.unroute('**/api/**');
    await expect
      .poll(() => store.get(ORG, ana.id), { timeout: 30_000 })
      .toMatchObject({ email: 'ana@example.com', notes: 'Oat milk', preferences: ['glazed'] });
    await expect.poll(status, { timeout: 30_000 }).toMatchObject({ online: true, pendingCount: 0 });
    const onServer = await store.get(ORG, ana.id);
    await expect
      .poll(() => tablet().then((t) => t.evaluate((x) => x.list())), { timeout: 10_000 })
      .toEqual([onServer]);
  });
});
