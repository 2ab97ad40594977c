import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@donutauto/source'] },
  ssr: { resolve: { conditions: ['@donutauto/source'] } },
  test: {
    name: 'example-react-app',
    include: ['src/**/__tests__/**/*.test.ts'],
    environment: 'node',
    // One browser and one build for the whole file; the steps below share them.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
