import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BehaviourLib } from './chromium/behaviour-page';
import {
  bundle,
  launchChromium,
  launchChromiumProfile,
  type PageServer,
  serve,
} from './chromium/chromium-harness';

type Lib = { __lib: BehaviourLib };
/** Only called inside `page.evaluate`, where the page defines a global `lib` returning the same object. */
const lib = () => (globalThis as unknown as Lib).__lib;

let server: PageServer;
let browser: Browser;
let context: BrowserContext;

async function tab(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => '__lib' in globalThis);
  return page;
}

describe('IndexedDB adapter in headless Chromium', () => {
  beforeAll(async () => {
    server = await serve(
      await bundle(fileURLToPath(new URL('./chromium/behaviour-page.ts', import.meta.url))),
    );
    browser = await launchChromium();
    context = await browser.newContext();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('delivers change events to another tab, scoped to the organization', { timeout: 30_000 }, async () => {
    const [a, b] = [await tab(), await tab()];
    await a.evaluate(() => {
      const adapter = lib().createIndexedDbAdapter({ name: 'tabs' });
      lib().adapters.set('a', adapter);
      adapter.subscribe('org', (e) => lib().events.push(e));
      adapter.subscribe('other', (e) => lib().events.push(e));
    });
    const id = await b.evaluate(async () => {
      const adapter = lib().createIndexedDbAdapter({ name: 'tabs' });
      const row = lib().customer('org', 1);
      await adapter.insertMany('org', [row]);
      await adapter.update('org', row.id, { notes: 'hi' }, { updatedAt: 9_000 });
      await adapter.delete('org', row.id);
      return row.id;
    });
    await a.waitForFunction(() => lib().events.length >= 3, undefined, { timeout: 5_000 });
    expect(await a.evaluate(() => lib().events)).toEqual([
      { type: 'insert', organizationId: 'org', ids: [id] },
      { type: 'update', organizationId: 'org', ids: [id] },
      { type: 'delete', organizationId: 'org', ids: [id] },
    ]);
    await Promise.all([a.close(), b.close()]);
  });

  it('turns QuotaExceededError into reason quota_exceeded, writes nothing, and works again with space', {
    timeout: 30_000,
  }, async () => {
    const profile = await launchChromiumProfile();
    const page = await profile.context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => '__lib' in globalThis);
    const cdp = await profile.context.newCDPSession(page);
    const origin = new URL(server.url).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 256 * 1024 });
    const failure = await page.evaluate(async () => {
      const adapter = lib().createIndexedDbAdapter({ name: 'quota' });
      lib().adapters.set('quota', adapter);
      // Random text: Chromium compresses values, so a repeated character would barely use any quota.
      const noise = () =>
        Array.from(crypto.getRandomValues(new Uint32Array(2_000)), (n) => n.toString(36)).join('');
      const rows = Array.from({ length: 200 }, (_, i) => lib().customer('org', i, { notes: noise() }));
      lib().scratch.set('rows', rows);
      return lib().failure(() => adapter.insertMany('org', rows));
    });
    expect(failure).toEqual({
      code: 'storage_failed',
      reason: 'quota_exceeded',
      name: 'IndexedDbStorageError',
    });
    expect(await page.evaluate(() => lib().adapters.get('quota')?.count('org', {}))).toBe(0);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    const count = await page.evaluate(async () => {
      const adapter = lib().adapters.get('quota');
      const rows = lib().scratch.get('rows') as Parameters<NonNullable<typeof adapter>['insertMany']>[1];
      await adapter?.insertMany('org', rows);
      return adapter?.count('org', {});
    });
    expect(count).toBe(200);
    await profile.dispose();
  });

  it('fails an upgrade blocked by an old tab with reason blocked, then recovers when it closes', {
    timeout: 30_000,
  }, async () => {
    const [old, fresh] = [await tab(), await tab()];
    await old.evaluate(async () => {
      lib().raw.set('old', await lib().openVersion1(indexedDB, 'blocked'));
    });
    const failure = await fresh.evaluate(() => {
      const adapter = lib().createIndexedDbAdapter({ name: 'blocked', blockedTimeoutMs: 300 });
      lib().adapters.set('fresh', adapter);
      return lib().failure(() => adapter.count('org', {}));
    });
    expect(failure).toEqual({ code: 'storage_failed', reason: 'blocked', name: 'IndexedDbStorageError' });
    await old.evaluate(() => lib().raw.get('old')?.close());
    await fresh.waitForFunction(
      async () => (await lib().failure(async () => lib().adapters.get('fresh')?.count('org', {}))) === null,
      undefined,
      { timeout: 5_000, polling: 100 },
    );
    await Promise.all([old.close(), fresh.close()]);
  });

  it.each([1, 2, 3] as const)(
    'migrates version %i data to the current schema in the browser',
    {
      timeout: 30_000,
    },
    async (from) => {
      const page = await tab();
      const result = await page.evaluate(async (version) => {
        const { customer } = lib();
        const rows = [
          customer('org', 1, { tags: ['vip'], dob: '1990-03-14' }),
          customer('org', 2, { tags: ['vip'], preferences: ['glazed'] }),
          customer('org', 3, { preferences: ['glazed'], dob: '--03-02' }),
        ];
        const name = `legacy-${version}`;
        const layout = lib().legacy[version];
        const old = await layout.open(indexedDB, name);
        await layout.put(old, rows);
        old.close();
        const adapter = lib().createIndexedDbAdapter({ name });
        const reference = lib().createMemoryAdapter();
        await reference.insertMany('org', rows);
        const out: { actual: string[]; expected: string[] }[] = [];
        const filters = [
          { tags: { all: ['vip'] } },
          { preferences: { any: ['glazed'] } },
          { birthdayMonth: 3 },
          { text: 'first2' },
          {},
        ];
        for (const raw of filters) {
          const query = {
            numItems: 50,
            cursor: null,
            filter: lib().normalizeFilter(raw),
            sort: 'newest' as const,
          };
          out.push({
            actual: (await adapter.list('org', query)).page.map((c) => c.id),
            expected: (await reference.list('org', query)).page.map((c) => c.id),
          });
        }
        const same = (
          await Promise.all(
            rows.map(async (r) => JSON.stringify(await adapter.get('org', r.id)) === JSON.stringify(r)),
          )
        ).every(Boolean);
        const upgraded = (await indexedDB.databases()).find((d) => d.name === name)?.version;
        await adapter.close?.();
        return { out, same, version: upgraded, current: lib().SCHEMA_VERSION };
      }, from);
      for (const { actual, expected } of result.out) expect(actual).toEqual(expected);
      expect(result.out[0]?.expected.length).toBe(2);
      expect(result.same).toBe(true);
      expect(result.version).toBe(result.current);
      await page.close();
    },
  );

  it('recovers when another tab deletes the database, and reports a newer schema as reason version', {
    timeout: 30_000,
  }, async () => {
    const [a, b] = [await tab(), await tab()];
    const id = await a.evaluate(async () => {
      const adapter = lib().createIndexedDbAdapter({ name: 'shared' });
      lib().adapters.set('a', adapter);
      const row = lib().customer('org', 1);
      await adapter.insertMany('org', [row]);
      return row.id;
    });
    await b.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.deleteDatabase('shared');
          request.onsuccess = () => resolve();
          request.onerror = () => reject(request.error);
        }),
    );
    expect(await a.evaluate((rowId) => lib().adapters.get('a')?.get('org', rowId), id)).toBeUndefined();
    expect(
      await a.evaluate(() =>
        lib()
          .adapters.get('a')
          ?.insertMany('org', [lib().customer('org', 2)]),
      ),
    ).toBeUndefined();
    await b.evaluate(
      (version) =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.open('shared', version);
          request.onsuccess = () => {
            request.result.close();
            resolve();
          };
          request.onerror = () => reject(request.error);
        }),
      (await a.evaluate(() => lib().SCHEMA_VERSION)) + 1,
    );
    const failure = await a.evaluate(() =>
      lib().failure(async () => lib().adapters.get('a')?.count('org', {})),
    );
    expect(failure).toEqual({ code: 'storage_failed', reason: 'version', name: 'IndexedDbStorageError' });
    await Promise.all([a.close(), b.close()]);
  });
});
