// Served under /spa/ by scripts/serve.mjs.
export default {
  base: '/spa/',
  build: { outDir: 'dist', emptyOutDir: true },
};
