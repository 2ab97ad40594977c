import { defineProject } from 'vitest/config';

export default defineProject({
  // The app and its server run on the built packages (dist), as an adopter's would.
  test: {
    name: 'example-react-app',
    include: ['src/**/__tests__/**/*.test.ts'],
    environment: 'node',
    // One browser and one build for the whole file; the steps below share them.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
