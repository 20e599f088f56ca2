import { defineConfig } from 'vite';

/**
 * The reveal.js plugin as one ES module, `dist/reveal-resync-lab.js` (built after the app by
 * `npm run build`; see src/embed/reveal.ts). It imports nothing at run time.
 */
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    copyPublicDir: false,
    lib: {
      entry: 'src/embed/reveal.ts',
      formats: ['es'],
      fileName: () => 'reveal-resync-lab.js',
    },
  },
});
