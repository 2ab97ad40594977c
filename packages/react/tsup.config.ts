import { libraryConfig } from '../../scripts/tsup-config';

export default libraryConfig(
  { index: 'src/index.ts' },
  {
    external: ['@donutauto/core', 'react', 'react-dom', 'react/jsx-runtime'],
    // Hooks and components run on the client: React Server Components frameworks read this marker.
    banner: { js: "'use client';" },
    // Rollup's tree-shaking pass would drop that directive; esbuild's own is enough for one entry,
    // which needs no chunk splitting.
    treeshake: false,
    splitting: false,
  },
);
