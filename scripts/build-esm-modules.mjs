#!/usr/bin/env node
// Rebuilds a package's ESM output with one file per source module (rolldown `preserveModules`),
// after tsup has built the CommonJS output and the declarations. A bundler consuming the package then
// keeps only the modules an app reaches (`sideEffects: false`), whatever it does with code
// splitting: merged chunks cost an esbuild app everything that shares a chunk with what it imports.
// Entries are the package.json exports with a `@donutauto/source` condition.
//
//   node ../../scripts/build-esm-modules.mjs   (run in the package directory, after tsup)
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'rolldown';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const input = {};
for (const target of Object.values(pkg.exports)) {
  if (typeof target !== 'object' || !target['@donutauto/source']) continue;
  const name = path.basename(target.import.default, '.js');
  input[name] = target['@donutauto/source'];
}
const dependencies = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
const isExternal = (id) =>
  dependencies.some((dep) => id === dep || id.startsWith(`${dep}/`)) || id.startsWith('node:');

// tsup's bundled ESM files and chunks go; its CommonJS files and declarations stay.
for (const file of readdirSync('dist')) {
  if (file.endsWith('.js') || file.endsWith('.js.map')) rmSync(path.join('dist', file));
}

await build({
  input,
  external: isExternal,
  platform: 'neutral',
  logLevel: 'warn',
  output: {
    dir: 'dist',
    format: 'esm',
    preserveModules: true,
    preserveModulesRoot: 'src',
    entryFileNames: '[name].js',
    sourcemap: true,
  },
});
