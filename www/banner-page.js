// The consent banner's test page (www/banner.html), driven by tests/e2e/banner.test.mjs.
// Query parameters:
//   sdk=real|fake   the real SDK (window.Hearth) or an in-page stand-in with the same shape
//   esm             load the banner as an ES module from /pkg/banner.js (the test serves it)
//   strings=fr      pass French strings (all but `close`, which keeps its default)
//   fail            the first consent.set rejects
//   preset=site     the site records a decision before the banner mounts
//   idle            do nothing (a same-origin page to set up request routing on)
// Exposes window.bannerTest = { ready, calls, violations, state(), controller }.
const test = { ready: false, calls: [], violations: [], state: null, controller: null };
window.bannerTest = test;
document.addEventListener('securitypolicyviolation', (event) => {
  test.violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});

const params = new URLSearchParams(location.search);

/** An in-page stand-in with the shape of `hearth` (consent.get/set/withdraw, on('consent')). */
function fakeHearth() {
  let state = {
    purposes: { storage: false, measurement: false, personalization: false },
    source: 'default',
    updatedAt: null,
    policyVersion: '',
    gpc: false,
    tcf: null,
  };
  const listeners = new Set();
  const update = (purposes, source) => {
    state = { ...state, purposes: { ...state.purposes, ...purposes }, source, updatedAt: Date.now() };
    for (const listener of listeners) listener(state);
    return state;
  };
  return {
    consent: {
      get: () => state,
      set: async (purposes, options = {}) => update(purposes, options.source ?? 'user'),
      withdraw: async () => update({ storage: false, measurement: false, personalization: false }, 'user'),
    },
    on(type, listener) {
      if (type === 'consent') listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Wraps `hearth` so that the test sees every call the banner makes. */
function recorded(hearth) {
  let failNext = params.has('fail');
  return {
    consent: {
      get: () => hearth.consent.get(),
      set(purposes, options) {
        test.calls.push(options === undefined ? { method: 'set', purposes } : { method: 'set', purposes, options });
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('simulated failure'));
        }
        return hearth.consent.set(purposes, options);
      },
      withdraw() {
        test.calls.push({ method: 'withdraw' });
        return hearth.consent.withdraw();
      },
    },
    on: (type, listener) => hearth.on(type, listener),
  };
}

const FRENCH = {
  title: 'Vos choix de confidentialité',
  description: 'Ce site personnalise le contenu sur votre appareil.',
  storageLabel: 'Stockage sur cet appareil',
  storageDescription: 'Garder vos choix et vos centres d’intérêt entre deux visites.',
  measurementLabel: 'Mesure',
  measurementDescription: 'Noter ce que vous lisez, cliquez et faites défiler, sur cet appareil.',
  personalizationLabel: 'Personnalisation',
  personalizationDescription: 'Ordonner le contenu selon ce qui vous intéresse.',
  rejectAll: 'Tout refuser',
  acceptAll: 'Tout accepter',
  save: 'Enregistrer mes choix',
  error: 'Vos choix n’ont pas pu être enregistrés.',
};

async function main() {
  if (params.has('idle')) return;
  const status = document.getElementById('status');
  const hearth = params.get('sdk') === 'fake' ? fakeHearth() : await window.Hearth.init({ namespace: 'banner-test' });
  test.state = () => hearth.consent.get();
  if (params.get('preset') === 'site') {
    await hearth.consent.set({ storage: true, measurement: false, personalization: true }, { source: 'site' });
  }
  const mount = params.has('esm') ? (await import('/pkg/banner.js')).mountConsentBanner : window.HearthBanner.mount;
  const options = params.get('strings') === 'fr' ? { strings: FRENCH } : {};
  test.controller = mount(recorded(hearth), options);
  document.getElementById('privacy-settings').addEventListener('click', () => test.controller.open());
  hearth.on('consent', (state) => {
    status.textContent = `Consent: ${JSON.stringify(state.purposes)} (${state.source})`;
  });
  status.textContent = 'Ready';
  test.ready = true;
}

document.addEventListener('DOMContentLoaded', () => {
  main().catch((error) => {
    document.getElementById('status').textContent = `Failed: ${error.message}`;
    throw error;
  });
});
