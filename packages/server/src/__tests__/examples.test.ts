import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const examples = fileURLToPath(new URL('../../../../examples/', import.meta.url));

/** Runs an example's `demo` script as `pnpm demo` would, and returns what it printed. */
async function demo(name: string): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=@donutauto/source', '--import', 'tsx', 'src/demo.ts'],
    {
      cwd: `${examples}${name}`,
      env: process.env,
      timeout: 120_000,
    },
  );
  return stdout;
}

describe('the server examples', () => {
  it('server-node: client over HTTP, live events, conflict, import with progress, export', async () => {
    const out = await demo('server-node');
    expect(out).toMatch(/added Ana \(version 1\)/);
    expect(out).toMatch(/refused a stale edit/);
    expect(out).toMatch(/imported 2000, skipped 0, errors 0/);
    expect(out).toMatch(/customers: 2001; gold tier: 666/);
    expect(out).toMatch(/change: insert 1 customer/);
    expect(out).toContain('Ana,Li,ana@example.com');
  }, 180_000);

  it('server-hono: refuses without a session, works with the session cookie', async () => {
    const out = await demo('server-hono');
    expect(out).toMatch(/without a session: unauthorized/);
    expect(out).toMatch(/signed in; added Bo; customers: 1/);
  }, 180_000);
});
