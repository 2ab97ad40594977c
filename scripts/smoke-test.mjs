#!/usr/bin/env node
// Smoke test of the packages as an adopter gets them: packs every published package with pnpm
// (after `pnpm build`), installs the tarballs with plain npm into a fresh project outside the
// workspace (the npm registry must be reachable for their dependencies), then runs
//   - an ESM consumer and a CommonJS consumer (with require(esm) turned off where Node has it, as on
//     Node 20.0–20.18): client, CSV import and export, each adapter (memory, PGlite, fake-indexeddb,
//     HTTP against the server's handler), the conformance package's entry (ESM);
//   - TypeScript consumers type-checked with `module: node16` (ESM and CJS files) and with
//     `moduleResolution: bundler`, and the IndexedDB adapter's types without the DOM lib;
//   - a Vite build of a browser app (React bindings, IndexedDB and HTTP adapters) that fails when a
//     Node built-in reaches the bundle.
//
//   node scripts/smoke-test.mjs [--keep]   (--keep leaves the temporary project for inspection)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const work = mkdtempSync(path.join(tmpdir(), 'donutauto-smoke-'));
const tarballs = path.join(work, 'tarballs');
const app = path.join(work, 'app');
mkdirSync(tarballs);
mkdirSync(path.join(app, 'src'), { recursive: true });

const step = (title) => console.log(`── ${title}`);
/** Runs a command, echoing its output; throws (failing the smoke test) when it fails. */
function run(cmd, args, cwd, env = {}) {
  execFileSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
}

// Versions the consumers install beside the tarballs: the ones the workspace tests with.
const lock = (name) => {
  for (const dir of ['packages/adapter-postgres', 'packages/adapter-indexeddb', 'examples/react-app', '.']) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
      const range = pkg.devDependencies?.[name] ?? pkg.dependencies?.[name];
      if (range) return range;
    } catch {}
  }
  throw new Error(`no version of ${name} in the workspace`);
};

function main() {
  try {
    step('pack every published package');
    const names = {};
    for (const dir of readdirSync(path.join(root, 'packages'))) {
      const pkgDir = path.join(root, 'packages', dir);
      let pkg;
      try {
        pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      if (pkg.private) continue;
      const before = new Set(readdirSync(tarballs));
      run('pnpm', ['pack', '--pack-destination', tarballs], pkgDir);
      names[pkg.name] = `file:${path.join(
        tarballs,
        readdirSync(tarballs).find((f) => !before.has(f)),
      )}`;
    }

    step(`install the tarballs with npm in ${app}`);
    writeFileSync(
      path.join(app, 'package.json'),
      `${JSON.stringify(
        {
          name: 'donutauto-smoke-app',
          private: true,
          type: 'module',
          dependencies: {
            ...names,
            '@electric-sql/pglite': lock('@electric-sql/pglite'),
            'fake-indexeddb': lock('fake-indexeddb'),
            react: lock('react'),
            'react-dom': lock('react-dom'),
          },
          devDependencies: {
            '@types/node': lock('@types/node'),
            '@types/react': lock('@types/react'),
            typescript: lock('typescript'),
            vite: lock('vite'),
          },
        },
        null,
        2,
      )}\n`,
    );
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], app);

    for (const [file, text] of Object.entries(CONSUMERS)) writeFileSync(path.join(app, file), text);

    step('ESM consumer');
    run('node', ['src/esm.mjs'], app);

    step('CommonJS consumer');
    // Node 20.19+ and 22.12+ load ESM from require(); the flag turns that off, as Node 20.0–20.18 are.
    const flags = process.allowedNodeEnvironmentFlags.has('--experimental-require-module')
      ? ['--no-experimental-require-module']
      : [];
    run('node', [...flags, 'src/cjs.cjs'], app);

    step('TypeScript: module node16 (ESM and CJS files), moduleResolution bundler, no DOM lib');
    for (const config of ['tsconfig.node16.json', 'tsconfig.bundler.json', 'tsconfig.nodom.json']) {
      run('npx', ['tsc', '-p', config], app);
    }

    step('Vite build for the browser (fails on a Node built-in)');
    run('npx', ['vite', 'build', '--logLevel', 'warn'], app);
    console.log('smoke test passed');
  } finally {
    if (keep) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/** What both runtime consumers do, written once for ESM and once for CJS. */
function scenario(load) {
  return `${load}
const assert = (ok, what) => { if (!ok) throw new Error('smoke: ' + what); };

async function exercise(name, adapter) {
  const client = core.createCustomerClient({ adapter, organizationId: 'org-smoke' });
  const ana = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
  const report = await client.importCsv(core.csvTemplate() + 'Bo,Ng,bo@example.com\\r\\n');
  assert(report.addedCount === 3, name + ': CSV import added ' + report.addedCount);
  const again = await client.importCsv('Email,First Name,Last Name\\nANA@example.com,Ana,Li\\n');
  assert(again.skippedCount === 1, name + ': duplicate skipped');
  const { page } = await client.list({ numItems: 10, sort: 'lastName' });
  assert(page.length === 4, name + ': listed ' + page.length);
  let csv = '';
  for await (const chunk of client.exportCsv()) csv += chunk;
  assert(csv.split('\\r\\n').filter(Boolean).length === 5, name + ': exported');
  try {
    await client.get('missing');
    assert(false, name + ': get of a missing id');
  } catch (error) {
    assert(core.isCustomerError(error, 'not_found'), name + ': typed not_found');
  }
  await client.delete(ana.id);
  assert((await client.count()) === 3, name + ': count after delete');
  console.log('   ' + name + ': add, importCsv, list, exportCsv, typed errors, delete');
}

async function exerciseSlim() {
  const lean = slim.createSlimClient({ adapter: slim.createMemoryAdapter(), organizationId: 'org-slim' });
  assert(lean.importCsv === undefined, 'slim: no importCsv method');
  const report = await slim.importCsv(lean, core.csvTemplate());
  assert(report.addedCount === 2, 'slim: importCsv added ' + report.addedCount);
  // One copy of the client's internals behind both entries: the function takes a full client too.
  const full = core.createCustomerClient({ adapter: core.createMemoryAdapter(), organizationId: 'org-slim' });
  assert((await slim.importCsv(full, core.csvTemplate())).addedCount === 2, 'slim: importCsv on a full client');
  const missing = await lean.get('missing').catch((error) => error);
  assert(slim.isCustomerError(missing, 'not_found') && missing instanceof core.NotFoundError, 'slim: typed errors');
  console.log('   slim entry: createSlimClient, importCsv, one error class across entries');
}

(async () => {
  await exercise('memory', core.createMemoryAdapter());
  await exerciseSlim();

  const db = new PGlite();
  const postgres = pg.createPostgresAdapter({ db });
  await postgres.migrate();
  await exercise('PGlite', postgres);
  await db.close();

  const idb = indexeddb.createIndexedDbAdapter({ name: 'smoke', broadcastChannel: false });
  await exercise('fake-indexeddb', idb);
  idb.close?.();

  const handler = server.createCustomersHandler({ adapter: core.createMemoryAdapter(), authorize: () => 'org-smoke' });
  const remote = http.createHttpAdapter({ baseUrl: 'http://smoke.test/api', fetch: (input, init) => handler(new Request(input, init)) });
  await exercise('HTTP adapter + server handler', remote);
  remote.close?.();
  console.log('   ' + Object.keys(core).length + ' core exports');
})().catch((error) => { console.error(error); process.exit(1); });
`;
}

const CONSUMERS = {
  'src/esm.mjs': `${scenario(`import * as core from '@donutauto/core';
import * as adapterHelpers from '@donutauto/core/adapter';
import * as slim from '@donutauto/core/slim';
import * as pg from '@donutauto/adapter-postgres';
import * as indexeddb from '@donutauto/adapter-indexeddb';
import * as http from '@donutauto/adapter-http';
import * as protocol from '@donutauto/adapter-http/protocol';
import * as server from '@donutauto/server';
import * as nodeBridge from '@donutauto/server/node';
import * as react from '@donutauto/react';
import * as testing from '@donutauto/testing';
import { PGlite } from '@electric-sql/pglite';
import 'fake-indexeddb/auto'; // idb reads IndexedDB's classes from the globals
for (const [name, mod] of Object.entries({ adapterHelpers, protocol, nodeBridge, react, testing })) {
  if (Object.keys(mod).length === 0) throw new Error('smoke: empty module ' + name);
}`)}`,
  'src/cjs.cjs': scenario(`const core = require('@donutauto/core');
const adapterHelpers = require('@donutauto/core/adapter');
const slim = require('@donutauto/core/slim');
const pg = require('@donutauto/adapter-postgres');
const indexeddb = require('@donutauto/adapter-indexeddb');
const http = require('@donutauto/adapter-http');
const protocol = require('@donutauto/adapter-http/protocol');
const server = require('@donutauto/server');
const nodeBridge = require('@donutauto/server/node');
const react = require('@donutauto/react');
const { PGlite } = require('@electric-sql/pglite');
require('fake-indexeddb/auto'); // idb reads IndexedDB's classes from the globals
for (const [name, mod] of Object.entries({ adapterHelpers, protocol, nodeBridge, react })) {
  if (Object.keys(mod).length === 0) throw new Error('smoke: empty module ' + name);
}`),
  'src/typed.ts': `import { createCustomerClient, createMemoryAdapter, type Customer, isCustomerError } from '@donutauto/core';
import { keysetPage } from '@donutauto/core/adapter';
import { createSlimClient, importCsv, type SlimCustomerClient } from '@donutauto/core/slim';
import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import { createIndexedDbAdapter } from '@donutauto/adapter-indexeddb';
import { createHttpAdapter } from '@donutauto/adapter-http';
import { createCustomersHandler } from '@donutauto/server';
import { CustomersProvider, useCustomerList } from '@donutauto/react';

export async function typed(): Promise<Customer> {
  const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'o' });
  const report = await client.importCsv('email,firstName,lastName\\na@b.co,A,B\\n', { onDuplicate: 'skip' });
  const n: number = report.addedCount;
  const lean: SlimCustomerClient = createSlimClient({ adapter: createMemoryAdapter(), organizationId: 'o' });
  const m: number = (await importCsv(lean, 'email,firstName,lastName\\na@b.co,A,B\\n')).addedCount;
  void [n, m];
  void [keysetPage, createPostgresAdapter, createIndexedDbAdapter, createHttpAdapter, createCustomersHandler, CustomersProvider, useCustomerList, isCustomerError];
  return client.add({ firstName: 'A', lastName: 'B', email: 'c@d.co' });
}
`,
  'src/typed-cjs.cts': `import core = require('@donutauto/core');
import pg = require('@donutauto/adapter-postgres');
export const client = core.createCustomerClient({ adapter: core.createMemoryAdapter(), organizationId: 'o' });
export type Adapter = ReturnType<typeof pg.createPostgresAdapter>;
`,
  'src/nodom.ts': `import { createCustomerClient } from '@donutauto/core';
import { createIndexedDbAdapter, type IndexedDbAdapterOptions } from '@donutauto/adapter-indexeddb';
// A server-side project: no DOM lib, an IndexedDB implementation passed in (fake-indexeddb's own
// types need the DOM lib, so it stays out of this check).
export function open(factory: IndexedDbAdapterOptions['indexedDB']) {
  return createCustomerClient({ adapter: createIndexedDbAdapter({ indexedDB: factory }), organizationId: 'o' });
}
`,
  'tsconfig.node16.json': JSON.stringify({
    compilerOptions: {
      module: 'node16',
      moduleResolution: 'node16',
      target: 'ES2022',
      strict: true,
      noEmit: true,
      jsx: 'react-jsx',
      types: ['node'],
      skipLibCheck: true,
    },
    files: ['src/typed.ts', 'src/typed-cjs.cts'],
  }),
  'tsconfig.bundler.json': JSON.stringify({
    compilerOptions: {
      module: 'ESNext',
      moduleResolution: 'bundler',
      target: 'ES2022',
      lib: ['ES2023', 'DOM'],
      strict: true,
      noEmit: true,
      jsx: 'react-jsx',
      skipLibCheck: true,
    },
    files: ['src/typed.ts'],
  }),
  // No DOM lib, and the packages' declarations checked too (skipLibCheck off for them).
  'tsconfig.nodom.json': JSON.stringify({
    compilerOptions: {
      module: 'node16',
      moduleResolution: 'node16',
      target: 'ES2022',
      lib: ['ES2022'],
      types: ['node'],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
    },
    files: [
      'src/nodom.ts',
      'node_modules/@donutauto/adapter-indexeddb/dist/index.d.ts',
      'node_modules/@donutauto/core/dist/index.d.ts',
    ],
  }),
  'index.html': `<!doctype html><html><body><div id="root"></div><script type="module" src="/src/browser.tsx"></script></body></html>\n`,
  'src/browser.tsx': `import { createCustomerClient } from '@donutauto/core';
import { createIndexedDbAdapter } from '@donutauto/adapter-indexeddb';
import { createHttpAdapter } from '@donutauto/adapter-http';
import { CsvBulkUploader, CustomerList, CustomersProvider } from '@donutauto/react';
import { createRoot } from 'react-dom/client';

const adapter = location.search.includes('server') ? createHttpAdapter({ baseUrl: '/api/customers' }) : createIndexedDbAdapter();
const client = createCustomerClient({ adapter, organizationId: 'browser' });
createRoot(document.getElementById('root')!).render(
  <CustomersProvider client={client}>
    <CsvBulkUploader />
    <CustomerList />
  </CustomersProvider>,
);
`,
  'vite.config.mjs': `import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => 'node:' + m)]);
export default defineConfig({
  logLevel: 'warn',
  plugins: [
    {
      name: 'no-node-builtins',
      enforce: 'pre',
      resolveId(id, importer) {
        if (builtins.has(id)) throw new Error('Node built-in "' + id + '" imported by ' + importer + ' reached the browser bundle');
      },
    },
  ],
  build: { outDir: 'dist-browser', target: 'es2022' },
});
`,
};

main();
