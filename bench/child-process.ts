/**
 * Runs a benchmark's scenarios each in its own Node process, so one run's peak RSS and garbage are
 * its own. The entry is bundled once with esbuild (core and adapters from source) and run by plain
 * `node`: a tsx loader in every child would add ≈60 MB of RSS that no application carries.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '.bench-data');

/**
 * Bundles a benchmark entry for Node into `bench/.bench-data/` (so its external drivers resolve
 * from bench's node_modules).
 * @param entry - Path of the entry file.
 * @returns The bundle's path.
 */
export async function bundleForNode(entry: string): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const outfile = join(OUT, basename(entry).replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [entry],
    bundle: true,
    outfile,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['@donutauto/source'],
    external: ['pg', 'pg-copy-streams', 'pg-native', 'esbuild', 'playwright-core'],
    logLevel: 'silent',
  });
  return outfile;
}

/**
 * Runs a bundled entry with arguments and parses the JSON it prints on stdout (its stderr is shown).
 * @param bundle - From {@link bundleForNode}.
 * @param args - Its arguments.
 * @returns The parsed output.
 */
export function runChild<T>(bundle: string, args: readonly string[]): T {
  return JSON.parse(
    execFileSync(process.execPath, [bundle, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  ) as T;
}
