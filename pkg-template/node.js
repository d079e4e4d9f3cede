// Node ≥ 20 entry (SSR, offline evaluation): reads the wasm from the package directory.
// Importing it touches no browser global; use `storage: 'memory'`.
import { readFile } from 'node:fs/promises';
import { defineHearth } from './facade.js';

export { isHearthError } from './facade.js';

/** The Hearth SDK. Create an instance with `await Hearth.init(options)`. */
export const Hearth = defineHearth(() => readFile(new URL('./hearth_bg.wasm', import.meta.url)));
