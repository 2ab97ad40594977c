import { defineConfig, type Options } from 'tsup';

/**
 * The one tsup configuration every package builds with: ESM + CJS + declarations, tree-shakable,
 * with source maps. Each package passes only its entry points.
 * @param entry - Map of output name (without extension) to source file.
 * @param overrides - Package-specific additions (for example extra externals).
 * @returns A tsup configuration.
 */
export function libraryConfig(entry: Record<string, string>, overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: true,
    target: 'es2022',
    outDir: 'dist',
    // In the CommonJS build a lazy `import()` becomes `require()` in a promise: test runners that load
    // CommonJS without ESM support (Jest without --experimental-vm-modules) cannot run `import()`.
    esbuildOptions(options, { format }) {
      if (format === 'cjs') options.supported = { ...options.supported, 'dynamic-import': false };
    },
    ...overrides,
  });
}
