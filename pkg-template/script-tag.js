// Entry of the script-tag build (dist/hearth.js, a classic script bundled by esbuild):
// defines `window.Hearth` and loads `hearth_bg.wasm` from next to this script.
import { defineHearth, isHearthError } from './facade.js';

const script = document.currentScript;
const wasmUrl = new URL('hearth_bg.wasm', script && script.src ? script.src : document.baseURI);

window.Hearth = defineHearth(() => wasmUrl);
window.Hearth.isHearthError = isHearthError;
