import { libraryConfig } from '../../scripts/tsup-config';

export default libraryConfig({ index: 'src/index.ts' }, { external: ['@donutauto/core'] });
