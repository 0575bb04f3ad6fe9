import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

/**
 * Builds the workbench (src/web) into dist/web, which `unspin serve` serves.
 * Run with `npm run build:web`. No inline scripts (the server's CSP forbids
 * them), no module-preload polyfill, everything bundled (no CDN).
 */
const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
});
