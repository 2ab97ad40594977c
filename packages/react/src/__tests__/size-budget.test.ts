// @vitest-environment node
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * Size budgets of @donutauto/react's own code, minified and gzipped, without React and
 * @donutauto/core (both are peers of the app anyway). Why these numbers: docs/react.md, "Size".
 */
const BUDGET = { everything: 13 * 1024, hooksOnly: 7.5 * 1024 };

const INDEX = fileURLToPath(new URL('../index.ts', import.meta.url));

async function gzipSize(contents: string): Promise<number> {
  const result = await build({
    stdin: { contents, resolveDir: fileURLToPath(new URL('..', import.meta.url)), loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    conditions: ['@donutauto/source'],
    external: ['react', 'react-dom', 'react/jsx-runtime', '@donutauto/core'],
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced nothing');
  return gzipSync(out.contents, { level: 9 }).length;
}

describe('@donutauto/react size budget', () => {
  it('stays within budget, whole and when an app imports only the hooks', async () => {
    const everything = await gzipSize(`export * from ${JSON.stringify(INDEX)};`);
    const hooksOnly = await gzipSize(
      `export { CustomersProvider, useCustomerList, useCustomer, useCustomerEditor, useAddCustomer,
        useDeleteCustomer, useCsvImport, useCsvTemplate, useCampaignGeneration } from ${JSON.stringify(INDEX)};`,
    );
    console.log(`@donutauto/react, min+gzip: everything ${everything} B, hooks only ${hooksOnly} B`);
    expect(everything).toBeLessThanOrEqual(BUDGET.everything);
    expect(hooksOnly).toBeLessThanOrEqual(BUDGET.hooksOnly);
    // Components are built from the hooks, so tree-shaking must drop them when unused.
    expect(hooksOnly).toBeLessThan(everything * 0.7);
  });
});
