import { libraryConfig } from '../../scripts/tsup-config';

export default libraryConfig(
  { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  { external: ['vitest', 'fast-check'] },
);
