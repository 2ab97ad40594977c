import { defineProject } from 'vitest/config';

/** The hook and component tests under React 19 (the version `react` resolves to in this package). */
export default defineProject({
  resolve: { conditions: ['@donutauto/source'] },
  ssr: { resolve: { conditions: ['@donutauto/source'] } },
  test: {
    name: 'react',
    include: ['src/**/__tests__/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
    setupFiles: ['src/__tests__/setup.ts'],
  },
});
