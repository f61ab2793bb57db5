import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The admin console, built by `npm run build` (scripts/build.js) into dist/admin, which the app serves at
 * /admin (src/platform/admin-console). No dev-server plugins: the console is built, never hot-reloaded.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/admin', import.meta.url)),
    emptyOutDir: true,
    // The polyfill would be an inline script, which the console's content security policy refuses.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      // Mantine marks its modules "use client" for React Server Components, which a client-only bundle has no use for.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  logLevel: 'warn',
});
