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
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: hub, changeOrigin: true } },
  },
  preview: { proxy: { '/api': { target: hub, changeOrigin: true } } },
});
