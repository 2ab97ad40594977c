import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@donutauto/source'] },
  ssr: { resolve: { conditions: ['@donutauto/source'] } },
  test: {
    name: 'adapter-indexeddb',
    include: ['src/**/__tests__/**/*.test.ts'],
    environment: 'node',
    // idb recognises requests with `instanceof IDBRequest` etc., so Node needs the interface classes
    // as globals; each test still injects its own fresh factory through the adapter options.
    setupFiles: ['fake-indexeddb/auto'],
  },
});
