// Entry of the classic-script build (dist/hearth-banner.js, an IIFE bundled by esbuild):
// defines `window.HearthBanner` and loads `hearth-banner.css` from next to this script.
import { mountConsentBanner } from './banner.js';

const script = document.currentScript;
const cssHref = new URL('hearth-banner.css', script && script.src ? script.src : document.baseURI);

window.HearthBanner = {
  mount: (hearth, options = {}) => mountConsentBanner(hearth, { ...options, cssHref: options.cssHref ?? cssHref }),
};
