import { libraryConfig } from '../../scripts/tsup-config';

export default libraryConfig(
  { index: 'src/index.ts', node: 'src/node.ts' },
  { external: ['@donutauto/core', '@donutauto/adapter-http', 'zod', /^node:/] },
);
