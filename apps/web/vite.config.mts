import path from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The API serves the built files at `/` and keeps `/api` for itself, so the UI is built
// with absolute asset paths and talks to the API on the same origin.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [preact()],
  build: {
    outDir: path.resolve(import.meta.dirname, '../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
