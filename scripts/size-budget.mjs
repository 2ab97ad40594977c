#!/usr/bin/env node
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// Size budgets: what an app downloads up front for what it imports, bundled from the built packages
// (dist, run `pnpm build` first) for the browser by esbuild and by Vite, minified, gzip level 9.
// "Up front" is the entry chunk and every chunk it imports statically; code behind a dynamic
// import (the CSV parser and import pipeline, the campaign runner) loads only when used and is
// listed apart. Exits 1 when any bundle is over its budget, or when a bundle fails (a Node built-in
// reaching a browser bundle fails it).
//
//   node scripts/size-budget.mjs            check every budget
//   node scripts/size-budget.mjs --verbose  also list the largest inputs of each esbuild bundle
import { gzipSync } from 'node:zlib';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The example browser app depends on every browser-side package, so bare imports resolve there,
// to the packages' `dist` (the `@donutauto/source` condition is not set).
const appDir = path.join(root, 'examples/react-app');

/**
 * Each case: what an app imports, and the budget of its up-front JavaScript in kB gzip per bundler:
 * `vite` (Rolldown, lazy chunks split off), `esbuild` (one file: lazy code is inlined) and
 * `esbuild-split` (`--splitting`: esbuild assigns whole files to chunks by reachability, so a file
 * the app reaches and a lazy chunk uses loads up front). Budgets sit a few percent above what the
 * build measures, so a change that adds weight fails here; client + memory adapter's Vite budget
 * is the goal itself, 35 kB, and so is the slim client's in every bundler. `esbuild` (no
 * splitting) cannot load anything lazily, so it counts the CSV parser, import pipeline and campaign
 * runner that `createCustomerClient`'s methods reach; `@donutauto/core/slim`'s client does not
 * reach them, its operations are functions an app imports. In `esbuild-split`, code that a synchronous
 * export of the root entry shares with a lazy chunk loads up front, imported or not (`planImport`
 * about 3 kB, the checks `streamCustomerCsv` makes when called, the generators' option checks; with
 * an adapter, `@donutauto/core/adapter`'s campaign request and content schemas), and every lazy
 * entry splits the shared code into more chunks.
 */
export const CASES = [
  {
    name: 'core: isCustomerError',
    budget: { vite: 1, esbuild: 1, 'esbuild-split': 21 },
    code: `export { isCustomerError } from '@donutauto/core';`,
  },
  {
    name: 'core: client + memory adapter',
    budget: { vite: 35, esbuild: 66, 'esbuild-split': 44 },
    code: `export { createCustomerClient, createMemoryAdapter } from '@donutauto/core';`,
  },
  {
    name: 'core/slim: client + memory adapter',
    budget: { vite: 35, esbuild: 35, 'esbuild-split': 35 },
    code: `export { createSlimClient, createMemoryAdapter } from '@donutauto/core/slim';`,
  },
  {
    name: 'core/slim: client + memory adapter + importCsv',
    budget: { vite: 33, esbuild: 57.5, 'esbuild-split': 36.5 },
    code: `export { createSlimClient, createMemoryAdapter, importCsv } from '@donutauto/core/slim';`,
  },
  {
    name: 'core: update queue',
    budget: { vite: 13, esbuild: 14, 'esbuild-split': 24 },
    code: `export { createUpdateQueue } from '@donutauto/core';`,
  },
  {
    name: 'core: csvTemplate + customersToCsv',
    budget: { vite: 2, esbuild: 2, 'esbuild-split': 21.5 },
    code: `export { csvTemplate, customersToCsv } from '@donutauto/core';`,
  },
  {
    name: 'core: parseCustomerCsv',
    budget: { vite: 2, esbuild: 31, 'esbuild-split': 21 },
    code: `export { parseCustomerCsv } from '@donutauto/core';`,
  },
  {
    name: 'client + IndexedDB adapter',
    budget: { vite: 40, esbuild: 71, 'esbuild-split': 51 },
    code: `export { createCustomerClient } from '@donutauto/core';
export { createIndexedDbAdapter } from '@donutauto/adapter-indexeddb';`,
  },
  {
    name: 'client + HTTP adapter',
    budget: { vite: 32.5, esbuild: 63, 'esbuild-split': 42 },
    code: `export { createCustomerClient } from '@donutauto/core';
export { createHttpAdapter } from '@donutauto/adapter-http';`,
  },
  {
    name: 'slim client + IndexedDB adapter',
    budget: { vite: 36, esbuild: 38, 'esbuild-split': 51 },
    code: `export { createSlimClient } from '@donutauto/core/slim';
export { createIndexedDbAdapter } from '@donutauto/adapter-indexeddb';`,
  },
  {
    name: 'slim client + HTTP adapter',
    budget: { vite: 28.5, esbuild: 30, 'esbuild-split': 42 },
    code: `export { createSlimClient } from '@donutauto/core/slim';
export { createHttpAdapter } from '@donutauto/adapter-http';`,
  },
  {
    name: 'react: provider + list + editor hooks (react excluded)',
    budget: { vite: 40, esbuild: 71, 'esbuild-split': 49 },
    external: ['react', 'react-dom', 'react/jsx-runtime'],
    code: `export { createCustomerClient, createMemoryAdapter } from '@donutauto/core';
export { CustomersProvider, useCustomerList, useCustomerEditor } from '@donutauto/react';`,
  },
  {
    name: 'react: slim client + provider + list + editor hooks (react excluded)',
    budget: { vite: 36, esbuild: 38.5, 'esbuild-split': 49 },
    external: ['react', 'react-dom', 'react/jsx-runtime'],
    code: `export { createSlimClient, createMemoryAdapter } from '@donutauto/core/slim';
export { CustomersProvider, useCustomerList, useCustomerEditor } from '@donutauto/react';`,
  },
];

const kb = (bytes) => bytes / 1024;
const gzip = (code) => gzipSync(code, { level: 9 }).length;

/**
 * Sums up-front and lazy bytes of a bundle's chunks.
 * @param chunks - `{ id, code, entry, imports, dynamicImports }` per chunk, ids as imports name them.
 */
function measure(chunks) {
  const byId = new Map(chunks.map((c) => [c.id, c]));
  const upFront = new Set();
  const visit = (id) => {
    if (upFront.has(id)) return;
    upFront.add(id);
    for (const next of byId.get(id)?.imports ?? []) visit(next);
  };
  for (const chunk of chunks) if (chunk.entry) visit(chunk.id);
  let initial = 0;
  let lazy = 0;
  for (const chunk of chunks) {
    if (upFront.has(chunk.id)) initial += gzip(chunk.code);
    else lazy += gzip(chunk.code);
  }
  return { initial, lazy, upFront };
}

async function withEsbuild(testCase, verbose, splitting) {
  const result = await esbuild({
    stdin: { contents: testCase.code, resolveDir: appDir, sourcefile: 'entry.js', loader: 'js' },
    bundle: true,
    splitting,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    outdir: path.join(root, '.size-budget'),
    metafile: true,
    logLevel: 'silent',
    external: testCase.external ?? [],
  });
  const chunks = result.outputFiles.map((file) => {
    const id = path.relative(root, file.path);
    const meta = result.metafile.outputs[id];
    return {
      id,
      code: file.contents,
      // Dynamically imported files are entry points of their own to esbuild: only stdin is the app's.
      entry: meta.entryPoint === path.relative(root, path.join(appDir, 'entry.js')),
      imports: meta.imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => i.path),
      inputs: meta.inputs,
    };
  });
  const measured = measure(chunks);
  if (verbose) {
    const inputs = chunks
      .filter((c) => measured.upFront.has(c.id))
      .flatMap((c) => Object.entries(c.inputs))
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
      .slice(0, 12);
    for (const [name, { bytesInOutput }] of inputs) {
      console.log(
        `      ${kb(bytesInOutput).toFixed(1).padStart(6)} kB  ${name.replace(/.*node_modules\//, '')}`,
      );
    }
  }
  return measured;
}

async function withVite(testCase) {
  const entryId = '\0size-budget-entry.js';
  const output = await viteBuild({
    configFile: false,
    root: appDir,
    logLevel: 'silent',
    plugins: [
      {
        name: 'size-budget-entry',
        resolveId: (id) => (id === 'size-budget-entry' ? entryId : undefined),
        load: (id) => (id === entryId ? testCase.code : undefined),
      },
    ],
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      modulePreload: false,
      rollupOptions: {
        input: 'size-budget-entry',
        external: testCase.external ?? [],
        preserveEntrySignatures: 'strict',
      },
    },
  });
  const outputs = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output);
  return measure(
    outputs
      .filter((o) => o.type === 'chunk')
      .map((o) => ({ id: o.fileName, code: o.code, entry: o.isEntry, imports: o.imports })),
  );
}

const verbose = process.argv.includes('--verbose');
let failed = false;
console.log('up-front kB gzip (lazy chunks in brackets) against the budget');
for (const testCase of CASES) {
  for (const [bundler, run] of [
    ['vite', () => withVite(testCase)],
    ['esbuild', () => withEsbuild(testCase, verbose, false)],
    ['esbuild-split', () => withEsbuild(testCase, verbose, true)],
  ]) {
    const budget = testCase.budget[bundler];
    let line;
    try {
      const { initial, lazy } = await run();
      const over = kb(initial) > budget;
      failed ||= over;
      line = `${over ? 'OVER' : 'ok  '} ${kb(initial).toFixed(1).padStart(5)} (+${kb(lazy).toFixed(1)} lazy) / ${budget} kB`;
    } catch (error) {
      failed = true;
      line = `FAILED ${error instanceof Error ? error.message : String(error)}`;
    }
    console.log(`${line}  ${bundler.padEnd(13)} ${testCase.name}`);
  }
}
if (failed) {
  console.error('size budget exceeded or a bundle failed');
  process.exit(1);
}
