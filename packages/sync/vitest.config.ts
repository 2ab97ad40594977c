import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@donutauto/source'] },
  ssr: { resolve: { conditions: ['@donutauto/source'] } },
  test: {
    name: 'sync',
    include: ['src/**/__tests__/**/*.test.ts'],
    environment: 'node',
  },
});
