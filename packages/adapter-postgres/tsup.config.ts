import { libraryConfig } from '../../scripts/tsup-config';

export default libraryConfig(
  { index: 'src/index.ts' },
  { external: ['pg', '@electric-sql/pglite', '@donutauto/core'] },
);
