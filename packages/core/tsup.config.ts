import { libraryConfig } from '../../scripts/tsup-config';

export default libraryConfig(
  { index: 'src/index.ts', adapter: 'src/adapter.ts', slim: 'src/slim.ts' },
  // p-limit and its queue are ESM-only: bundled, so `require('@donutauto/core')` works on Node
  // versions without require(esm) (20.0–20.18) and the ESM build needs no second copy.
  { noExternal: ['p-limit', 'yocto-queue'] },
);
