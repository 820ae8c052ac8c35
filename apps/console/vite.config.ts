import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Hub to proxy /api to in `vite` dev mode, e.g. HUB_URL=http://127.0.0.1:3000. */
const hub = process.env.HUB_URL ?? 'http://127.0.0.1:3000';

// No @vitejs/plugin-react: Vite 8 compiles TSX itself through Oxc (no fast refresh, full reloads).
export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: '../../dist/console',
    emptyOutDir: true,
    // No source maps in the served build: they would publish the console's full source (OWASP WSTG-INFO-05).
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  // changeOrigin off: the hub then sees the dev server's Host, which matches the browser's
  // Origin, so its cross-site check lets the console's own changes through.
  server: {
    port: 5173,
    proxy: { '/api': { target: hub, changeOrigin: false } },
  },
  preview: { proxy: { '/api': { target: hub, changeOrigin: false } } },
});
