import { defineConfig } from 'vite';

// The workspace packages resolve to their built `dist` (run `pnpm build` first), as in an app that
// installed them from the registry. TSX compiles with React's automatic runtime.
export default defineConfig({
  build: { target: 'es2022', sourcemap: false },
});
