// Browser and bundler entry (Vite, webpack 5): the glue finds `hearth_bg.wasm` through
// `new URL('hearth_bg.wasm', import.meta.url)`, which both bundlers emit as an asset.
import { defineHearth } from './facade.js';

export { isHearthError } from './facade.js';

/** The Hearth SDK. Create an instance with `await Hearth.init(options)`. */
export const Hearth = /* @__PURE__ */ defineHearth(() => undefined);
