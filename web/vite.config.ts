/// <reference types="vitest/config" />
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, URL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

// Writes `x.js.gz` beside each built script and stylesheet: the api sends it
// to browsers that accept gzip, so nothing is compressed per request.
function precompress(): Plugin {
  return {
    name: 'ordertrack-precompress',
    apply: 'build',
    closeBundle() {
      const dir = fileURLToPath(new URL('./dist/assets', import.meta.url))
      for (const name of readdirSync(dir)) {
        if (/\.(js|css)$/.test(name)) writeFileSync(join(dir, `${name}.gz`), gzipSync(readFileSync(join(dir, name)), { level: 9 }))
      }
    },
  }
}

const backend = 'http://127.0.0.1:8080'

// Browser navigations to /t/{code} open the app in dev; the API and the
// server-rendered pages (/u/...) go to the backend.
const htmlToApp = (req: { headers: Record<string, string | string[] | undefined> }) =>
  String(req.headers.accept ?? '').includes('text/html') ? '/index.html' : undefined

// The staff console is a second page: in dev, /console and every path under
// it get console.html (the api does the same in production).
function consoleFallback(): Plugin {
  return {
    name: 'ordertrack-console-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const url = req.url ?? ''
        if (/^\/console(\/|$|\?)/.test(url) && String(req.headers.accept ?? '').includes('text/html')) req.url = '/console.html'
        next()
      })
    },
  }
}

export default defineConfig({
  base: '/',
  plugins: [vue(), precompress(), consoleFallback()],
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __INTLIFY_JIT_COMPILATION__: true,
    __INTLIFY_DROP_MESSAGE_COMPILER__: false,
    __VUE_OPTIONS_API__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
  },
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The server's CSP forbids inline scripts: no module-preload polyfill.
    modulePreload: { polyfill: false },
    target: 'es2022',
    assetsInlineLimit: 0,
    rollupOptions: {
      // Two pages: the shopper's app and the staff console (nothing of the
      // console is in the shopper's chunks: each page imports its own).
      input: { main: 'index.html', console: 'console.html' },
      output: {
        // One long-cached vendor chunk (vue, vue-router, vue-i18n).
        manualChunks(id: string) {
          if (/node_modules\/(@vue|vue|vue-router|vue-i18n|@intlify)\//.test(id)) return 'vendor'
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/t': { target: backend, bypass: htmlToApp },
      '/u': { target: backend },
    },
  },
  preview: {
    proxy: {
      '/api': { target: backend },
      '/u': { target: backend },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.test.ts'],
  },
})
