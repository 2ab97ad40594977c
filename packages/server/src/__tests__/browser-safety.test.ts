import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** Bundles one entry for a browser, as a web app's bundler would, and returns the build's problems. */
async function bundleForBrowser(entry: string): Promise<{ errors: string[]; bytes: number }> {
  try {
    const result = await build({
      stdin: { contents: `export * from '${entry}';`, resolveDir: import.meta.dirname, loader: 'ts' },
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      conditions: ['@donutauto/source'],
      logLevel: 'silent',
    });
    return { errors: [], bytes: result.outputFiles[0]!.contents.byteLength };
  } catch (error) {
    const errors = (error as { errors?: { text: string }[] }).errors ?? [{ text: String(error) }];
    return { errors: errors.map((e) => e.text), bytes: 0 };
  }
}

describe('browser safety', () => {
  it.each(['@donutauto/adapter-http', '@donutauto/adapter-http/protocol', '@donutauto/server'])(
    '%s bundles for the browser without Node built-ins',
    async (entry) => {
      const { errors, bytes } = await bundleForBrowser(entry);
      expect(errors).toEqual([]);
      expect(bytes).toBeGreaterThan(0);
    },
    60_000,
  );

  it('fails for a module that imports a Node built-in (the check can tell)', async () => {
    const { errors } = await bundleForBrowser('node:http');
    expect(errors.join('\n')).toMatch(/node:http/);
  }, 60_000);
});
