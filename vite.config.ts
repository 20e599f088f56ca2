import react from '@vitejs/plugin-react';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  base: './',
  plugins: [react()],
  build: {
    rolldownOptions: {
      // The app, and the example reveal.js deck that embeds it (npm run deck).
      input: { main: 'index.html', deck: 'src/deck/index.html' },
      output: {
        // Libraries change less often than our code: their own chunks stay cached across releases
        // (and no chunk passes the 500 kB warning).
        codeSplitting: {
          groups: [
            { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            {
              name: 'motion',
              test: /[\\/]node_modules[\\/](framer-motion|motion-dom|motion-utils)[\\/]/,
            },
          ],
        },
      },
    },
  },
  test: {
    exclude: [...configDefaults.exclude, 'e2e/**'],
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Property tests run hundreds of cases: on a busy 2-core machine a few take seconds.
    testTimeout: 30_000,
  },
});
