import { defaultClientConditions, defineConfig } from 'vite';

// The workspace packages resolve to their TypeScript source (the `@donutauto/source` condition), so
// the app builds without building the packages first. TSX compiles with React's automatic runtime.
export default defineConfig({
  resolve: { conditions: ['@donutauto/source', ...defaultClientConditions] },
  build: { target: 'es2022', sourcemap: false },
});
