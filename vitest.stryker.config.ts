// The unit suite as mutation testing runs it: the engine's, lab's and store's own assertions.
// Left out: the golden transcripts (they flag any change at all, so they would "kill" every
// mutant without proving a fact) and the conformance harness (real redis-server).
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    exclude: [...configDefaults.exclude, 'e2e/**'],
    include: ['src/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['scripts/stryker-setup.ts'],
  },
});
