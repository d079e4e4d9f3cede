// webpack 5 with no loader or plugin for Hearth: `new URL('hearth_bg.wasm', import.meta.url)`
// in the package makes webpack emit the wasm as an asset. Served under /webpack/.
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  entry: './src/main.js',
  output: {
    path: fileURLToPath(new URL('./dist', import.meta.url)),
    filename: 'main.js',
    publicPath: '/webpack/',
    clean: true,
  },
  performance: { hints: false },
};
