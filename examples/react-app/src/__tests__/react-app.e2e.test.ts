import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { createCustomerClient, csvTemplate } from '@donutauto/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ORGANIZATION_ID, startAppServer } from '../server/app-server';
import { launchChromium, seriousViolations, serveStatic } from './browser';

const APP = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(APP, 'dist');
/** Screenshots and the bundle report land here (gitignored); CI can keep the folder as an artifact. */
const ARTIFACTS = join(APP, 'test-artifacts');

let browser: Browser;
let server: { url: string; close(): Promise<void> };
const contexts: BrowserContext[] = [];
/** Uncaught errors of the pages; each test ends with none. */
const pageErrors: Error[] = [];

/** Builds the app with Vite (production mode) and returns the gzip size of each emitted file. */
async function buildApp(): Promise<Record<string, { bytes: number; gzip: number }>> {
  const vite = join(
    dirname(createRequire(join(APP, 'package.json')).resolve('vite/package.json')),
    'bin/vite.js',
  );
  // vitest sets NODE_ENV=test, which would give React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  await promisify(execFile)(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: APP, env });
  const sizes: Record<string, { bytes: number; gzip: number }> = {};
  for (const file of await readdir(join(DIST, 'assets'))) {
    const body = await readFile(join(DIST, 'assets', file));
    sizes[file.replace(/-[\w-]{8}\./, '.')] = {
      bytes: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
    };
  }
  return sizes;
}

/** A fresh browser profile (its own IndexedDB) on the app's page `hash`. */
async function open(hash = '#/'): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(server.url + hash);
  return page;
}

/** Fails on serious or critical axe violations, and saves a screenshot named `name`. */
async function audit(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
}

const count = (page: Page, section: string, label: string) =>
  page
    .getByRole('region', { name: section })
    .locator('dt', { hasText: new RegExp(`^${label}$`) })
    .locator('+ dd');

async function uploadCsv(page: Page, file: { name: string; buffer: Buffer } | string): Promise<void> {
  await page.goto(`${server.url}#/import`);
  const input = page.getByLabel('Choose a CSV file, or drop it here');
  await input.setInputFiles(
    typeof file === 'string' ? file : { name: file.name, mimeType: 'text/csv', buffer: file.buffer },
  );
  await page.getByRole('region', { name: 'Import preview' }).waitFor();
}

async function addCustomer(page: Page, first: string, last: string, email: string): Promise<void> {
  await page.goto(`${server.url}#/add`);
  await page.getByLabel(/^First name/).fill(first);
  await page.getByLabel(/^Last name/).fill(last);
  await page.getByLabel(/^Email/).fill(email);
  await page.getByRole('button', { name: 'Add customer' }).click();
  await page.getByText(`Added ${first} ${last}.`).waitFor();
}

describe('example react app in headless Chromium', () => {
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    const sizes = await buildApp();
    const total = Object.values(sizes).reduce((sum, s) => sum + s.gzip, 0);
    await writeFile(
      join(ARTIFACTS, 'bundle-sizes.json'),
      `${JSON.stringify({ total, files: sizes }, null, 2)}\n`,
    );
    console.log(`example app production bundle: ${(total / 1024).toFixed(1)} KiB gzip`, sizes);
    server = await serveStatic(DIST);
    browser = await launchChromium();
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('adds a customer, showing field errors beside their fields first', async () => {
    const page = await open('#/add');
    await page.getByRole('button', { name: 'Add customer' }).click();
    await expect.poll(() => page.getByRole('alert').count()).toBeGreaterThanOrEqual(3);
    await audit(page, 'add-with-errors');
    const describedBy = await page.getByLabel(/^Email/).getAttribute('aria-describedby');
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe('Email is required');
    await addCustomer(page, 'Ana', 'Li', 'ana@example.com');
    await audit(page, 'add');
    await page.goto(`${server.url}#/`);
    await page.getByRole('rowheader', { name: 'Ana Li' }).waitFor();
    await audit(page, 'list');
  });

  it('uploads a CSV with good, bad and duplicate rows and reports each', async () => {
    const page = await open('#/import');
    await audit(page, 'import');
    await addCustomer(page, 'Stored', 'Already', 'stored@example.com');
    const csv = [
      // Shopify's consent column: only Ana and Bo may get email campaigns.
      'First Name,Last Name,Email Address,Mobile,Preferences,Accepts Email Marketing',
      'Ana,Li,ana@example.com,555 0100 199,"glazed,coffee",yes',
      'Bo,Ng,bo@example.com,,,yes',
      'Cy,Zed,cy@example.com,,vegan,no',
      ',NoFirst,nofirst@example.com,,,', // error: first name missing
      'Di,Bad,not-an-email,,,', // error: email
      'Ed,Many,ed@example.com,,"a,b,c,d",', // warning: 4 preferences are left out, Ed is added
      'Ana,Again,ANA@example.com,,,', // duplicate of row 2 in the file
      'Stored,Twice,stored@example.com,,,', // already stored
    ].join('\n');
    await uploadCsv(page, { name: 'customers.csv', buffer: Buffer.from(csv) });
    await audit(page, 'import-preview');
    expect(await count(page, 'Import preview', 'To add').textContent()).toBe('4');
    expect(await count(page, 'Import preview', 'To skip').textContent()).toBe('2');
    expect(await count(page, 'Import preview', 'Refused').textContent()).toBe('2');
    expect(await page.getByRole('combobox', { name: 'Import column Mobile as' }).inputValue()).toBe('phone');

    await page.getByRole('button', { name: 'Import 4 customers' }).click();
    const report = page.getByRole('region', { name: 'Import report' });
    await report.waitFor();
    await audit(page, 'import-report');
    expect(await count(page, 'Import report', 'Added').textContent()).toBe('4');
    expect(await count(page, 'Import report', 'Skipped').textContent()).toBe('2');
    expect(await count(page, 'Import report', 'Refused').textContent()).toBe('2');
    const rows = await report.locator('[data-part="issues"] tbody th').allTextContents();
    expect(rows).toEqual(['5', '6', '7', '8', '9']);
    await expect.poll(() => report.getByText(/First name is required/).count()).toBe(1);

    await page.goto(`${server.url}#/`);
    await page.getByText('All 5 customers shown.').waitFor();

    // Generate a campaign for two selected customers (core's offline template generator).
    await page.getByRole('checkbox', { name: 'Select Ana Li' }).check();
    await page.getByRole('checkbox', { name: 'Select Bo Ng' }).check();
    await page.getByRole('button', { name: 'Generate “Glazed week” for 2 customers' }).click();
    await page.getByText('Campaign generated: 4 completed, 0 failed, 0 cancelled.').waitFor();
    await audit(page, 'list-campaign');
  });

  it('keeps quick typing in two fields of one customer across a reload', async () => {
    const page = await open('#/add');
    await addCustomer(page, 'Ana', 'Li', 'ana@example.com');
    await page.goto(`${server.url}#/`);
    await page.getByRole('button', { name: 'Edit Ana Li' }).click();
    await expect.poll(() => page.getByLabel(/^First name/).inputValue()).toBe('Ana');
    await audit(page, 'edit');
    await page.getByLabel(/^Location/).pressSequentially('Harbour');
    await page.getByLabel(/^Notes/).pressSequentially('Oat milk');
    // Reload at once: the edits are still waiting for the pause in typing; pagehide saves them.
    await page.reload();
    await expect.poll(() => page.getByLabel(/^Location/).inputValue()).toBe('Harbour');
    expect(await page.getByLabel(/^Notes/).inputValue()).toBe('Oat milk');
    await page.getByLabel(/^Location/).fill('Pier');
    await expect
      .poll(() => page.locator('[data-part="status"]').textContent(), { timeout: 5_000 })
      .toBe('Saved');
    await audit(page, 'edit-saved');
  });

  it('pages through 1,000 customers', async () => {
    const page = await open('#/import');
    const lines = Array.from({ length: 1000 }, (_, i) => `Guest${i},Number${i},guest${i}@example.com`);
    await uploadCsv(page, {
      name: 'many.csv',
      buffer: Buffer.from(['firstName,lastName,email', ...lines].join('\n')),
    });
    const importStarted = Date.now();
    await page.getByRole('button', { name: 'Import 1000 customers' }).click();
    await page.getByRole('region', { name: 'Import report' }).waitFor();
    expect(await count(page, 'Import report', 'Added').textContent()).toBe('1000');
    console.log(`imported 1000 customers in ${Date.now() - importStarted} ms`);

    await page.goto(`${server.url}#/`);
    const status = page.locator('[data-part="list-status"]');
    await expect.poll(() => status.textContent(), { timeout: 5_000 }).toBe('50 customers shown.');
    // axe on the first page of the long list (the full 1,000 rows only repeat its markup).
    await audit(page, 'list-50-of-1000');
    let clicks = 0;
    const started = Date.now();
    while ((await status.textContent()) !== 'All 1000 customers shown.') {
      await page.getByRole('button', { name: 'Load more' }).click();
      clicks++;
      const shown = Math.min(1000, 50 * (clicks + 1));
      await page.waitForFunction(
        (text) => document.querySelector('[data-part="list-status"]')?.textContent?.endsWith(text),
        `${shown} customers shown.`,
      );
    }
    console.log(`paged to 1000 customers in ${clicks} clicks, ${Date.now() - started} ms`);
    expect(clicks).toBe(19);
    const names = await page.locator('tbody th[scope="row"]').allTextContents();
    expect(names).toHaveLength(1000);
    expect(new Set(names).size).toBe(1000);
    expect(names[0]).toBe('Guest999 Number999');
    expect(names.at(-1)).toBe('Guest0 Number0');
    await page.screenshot({ path: join(ARTIFACTS, 'list-1000.png') });
  });

  it('shows a customer added in another tab without a reload', async () => {
    const list = await open('#/');
    await list.getByText('No customers yet.').waitFor();
    const other = await list.context().newPage();
    await addCustomer(other, 'Tab', 'Two', 'tab2@example.com');
    await list.getByRole('rowheader', { name: 'Tab Two' }).waitFor();
    await other.close();
  });

  it('opens and lists the customers with the network off (service worker and IndexedDB)', async () => {
    const page = await open('#/add');
    await addCustomer(page, 'Off', 'Line', 'offline@example.com');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.context().setOffline(true);
    await page.goto(`${server.url}#/`);
    await page.reload();
    await page.getByRole('rowheader', { name: 'Off Line' }).waitFor();
    await addCustomer(page, 'Still', 'Offline', 'still@example.com');
    await page.context().setOffline(false);
  });

  it('downloads the template and uploads it back', async () => {
    const page = await open('#/template');
    await audit(page, 'template');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the CSV template' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('customers-template.csv');
    const path = await download.path();
    expect(await readFile(path, 'utf8')).toBe(csvTemplate());
    await uploadCsv(page, path);
    expect(await count(page, 'Import preview', 'To add').textContent()).toBe('2');
    expect(await count(page, 'Import preview', 'Refused').textContent()).toBe('0');
    await page.getByRole('button', { name: 'Import 2 customers' }).click();
    await page.getByRole('region', { name: 'Import report' }).waitFor();
    expect(await count(page, 'Import report', 'Added').textContent()).toBe('2');
    await page.goto(`${server.url}#/`);
    await page.getByRole('rowheader', { name: "Ben O'Neil" }).waitFor();
  });

  describe('server mode: the same app on the HTTP adapter, PostgreSQL behind @donutauto/server', () => {
    let app: Awaited<ReturnType<typeof startAppServer>>;
    const schema = `t_app_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

    beforeAll(async () => {
      app = await startAppServer({ dist: DIST, databaseUrl: process.env.DATABASE_URL, schema });
    });
    afterAll(async () => {
      if (process.env.DATABASE_URL) {
        const { default: pg } = await import('pg');
        const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
        await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await pool.end();
      }
      await app?.close();
    });

    /** A browser signed in through the server's session cookie, on the app in server mode. */
    async function signIn(): Promise<Page> {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error));
      await page.goto(`${app.url}login`);
      expect(page.url()).toBe(`${app.url}?api=/api/customers#/`);
      return page;
    }
    const at = (hash: string) => `${app.url}?api=/api/customers${hash}`;

    it('adds, lists and edits customers that are stored in PostgreSQL', async () => {
      const page = await signIn();
      await page.getByText('No customers yet.').waitFor();
      await page.goto(at('#/add'));
      await page.getByLabel(/^First name/).fill('Sam');
      await page.getByLabel(/^Last name/).fill('Server');
      await page.getByLabel(/^Email/).fill('sam@example.com');
      await page.getByRole('button', { name: 'Add customer' }).click();
      await page.getByText('Added Sam Server.').waitFor();
      const [stored] = await app.adapter.getByEmails(ORGANIZATION_ID, ['sam@example.com']);
      expect(stored).toMatchObject({ firstName: 'Sam', lastName: 'Server', version: 1 });

      await page.goto(at('#/'));
      await page.getByRole('button', { name: 'Edit Sam Server' }).click();
      await expect.poll(() => page.getByLabel(/^First name/).inputValue()).toBe('Sam');
      await page.getByLabel(/^Notes/).pressSequentially('Oat milk');
      await expect
        .poll(() => page.locator('[data-part="status"]').textContent(), { timeout: 10_000 })
        .toBe('Saved');
      expect(await app.adapter.get(ORGANIZATION_ID, stored!.id)).toMatchObject({
        notes: 'Oat milk',
        version: 2,
      });
      await audit(page, 'server-mode-edit');
    });

    it('shows a customer added on the server without a reload (Server-Sent Events)', async () => {
      const page = await signIn();
      await page.getByRole('rowheader', { name: 'Sam Server' }).waitFor();
      const client = createCustomerClient({ adapter: app.adapter, organizationId: ORGANIZATION_ID });
      await client.add({ firstName: 'Pos', lastName: 'Terminal', email: 'pos@example.com' });
      await page.getByRole('rowheader', { name: 'Pos Terminal' }).waitFor({ timeout: 10_000 });
    });

    it('imports a CSV into PostgreSQL, and the API refuses a browser without a session', async () => {
      const page = await signIn();
      await page.goto(at('#/import'));
      const lines = Array.from({ length: 300 }, (_, i) => `Guest${i},Server${i},guest${i}@example.com`);
      await page.getByLabel('Choose a CSV file, or drop it here').setInputFiles({
        name: 'guests.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(['firstName,lastName,email', ...lines].join('\n')),
      });
      await page.getByRole('region', { name: 'Import preview' }).waitFor();
      await page.getByRole('button', { name: 'Import 300 customers' }).click();
      await page.getByRole('region', { name: 'Import report' }).waitFor();
      expect(await count(page, 'Import report', 'Added').textContent()).toBe('300');
      expect(await app.adapter.count(ORGANIZATION_ID, {})).toBe(302);

      const stranger = await browser.newContext();
      contexts.push(stranger);
      const anonymous = await stranger.newPage();
      await anonymous.goto(app.url);
      const status = await anonymous.evaluate(async () => {
        const answer = await fetch('/api/customers/v1/rpc/count', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ args: [{}] }),
        });
        return [answer.status, ((await answer.json()) as { error: { code: string } }).error.code];
      });
      expect(status).toEqual([401, 'unauthorized']);
    });
  });
});
