import { libraryConfig } from '../../scripts/tsup-config';

// ESM only: vitest, which the suite registers its tests with, cannot be loaded with require().
export default libraryConfig(
  { index: 'src/index.ts' },
  { format: ['esm'], external: ['vitest', 'fast-check', '@donutauto/core'] },
);
