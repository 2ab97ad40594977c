import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { defineProject } from 'vitest/config';

// The same tests under React 18. `react18/` is its own workspace package so that pnpm gives
// react-dom 18 and Testing Library react 18 as their peer; the aliases point this package's
// imports (source and tests) at those copies. Node loads them (they stay external), so react-dom
// and Testing Library find the very same react 18 module.
const require18 = createRequire(new URL('./react18/package.json', import.meta.url));
const dir = (name: string) => dirname(require18.resolve(`${name}/package.json`));

export default defineProject({
  resolve: {
    conditions: ['@donutauto/source'],
    alias: {
      react: dir('react'),
      'react-dom': dir('react-dom'),
      '@testing-library/react': dir('@testing-library/react'),
    },
  },
  ssr: { resolve: { conditions: ['@donutauto/source'] } },
  test: {
    name: 'react@18',
    include: ['src/**/__tests__/**/*.test.{ts,tsx}'],
    // The size budget does not depend on the React version.
    exclude: ['src/**/__tests__/size-budget.test.ts'],
    environment: 'happy-dom',
    setupFiles: ['src/__tests__/setup.ts'],
  },
});
