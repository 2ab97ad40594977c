import { libraryConfig } from '../../scripts/tsup-config';

export default libraryConfig(
  { index: 'src/index.ts', protocol: 'src/protocol.ts' },
  { external: ['@donutauto/core'] },
);
