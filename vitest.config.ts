import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@donutauto/source'] },
  ssr: { resolve: { conditions: ['@donutauto/source'] } },
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'packages/react/vitest.react18.config.ts',
      'examples/react-app/vitest.config.ts',
    ],
  },
});
