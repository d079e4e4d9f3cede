// Hearth's optional consent banner, for sites without a consent management platform.
// No dependencies. The DOM is built with createElement/textContent only, no inline style is
// ever set and the stylesheet is injected as <link rel="stylesheet">, so the banner runs under
// `default-src 'self'; script-src 'self'; style-src 'self'`.

const PURPOSES = ['storage', 'measurement', 'personalization'];

const DEFAULT_STRINGS = {
  title: 'Your privacy choices',
  description:
    'This site can personalize what you see, using data kept on your device. Choose what you allow; you can change it at any time in the privacy settings.',
  storageLabel: 'Storage on this device',
  storageDescription: 'Keep what the site learns about your interests on this device between visits.',
  measurementLabel: 'Measurement',
  measurementDescription: 'Note what you read, click and scroll on this site, on this device only.',
  personalizationLabel: 'Personalization',
  personalizationDescription: 'Order content by what you are likely to find interesting.',
  rejectAll: 'Reject all',
  acceptAll: 'Accept all',
  save: 'Save choices',
  close: 'Close',
  error: 'Your choices could not be saved. Please try again.',
};

let mounted = 0;

/** Nothing chosen yet under the current policy version. */
const undecided = (state) => state.source === 'default' || state.source === 'gpc';

/**
 * Mounts the banner. It opens by itself while the visitor is undecided (or always, with
 * `showWhenDecided`); `open()` shows it again with the current choices.
 */
export function mountConsentBanner(hearth, options = {}) {
  const strings = {};
  for (const key in DEFAULT_STRINGS) {
    const value = options.strings?.[key];
    strings[key] = typeof value === 'string' ? value : DEFAULT_STRINGS[key];
  }
  const id = `hearth-banner-${++mounted}`;
  const make = (tag, name, text) => {
    const node = document.createElement(tag);
    if (name) node.className = `hearth-banner__${name}`;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const button = (name, text, onClick) => {
    const node = make('button', name, text);
    node.type = 'button';
    node.addEventListener('click', onClick);
    return node;
  };

  // The stylesheet: shown only once it has loaded (or failed), so the banner never flashes unstyled.
  let ready = Promise.resolve();
  let ownLink = null;
  const cssHref = options.cssHref ?? new URL('./banner.css', import.meta.url);
  if (cssHref !== false) {
    const href = new URL(cssHref, document.baseURI).href;
    if (![...document.querySelectorAll('link[rel=stylesheet]')].some((link) => link.href === href)) {
      ownLink = make('link');
      ownLink.rel = 'stylesheet';
      ownLink.href = href;
      ready = new Promise((done) => {
        ownLink.addEventListener('load', done);
        ownLink.addEventListener('error', done);
      });
      document.head.append(ownLink);
    }
  }

  // The DOM.
  const root = make('div');
  root.className = 'hearth-banner';
  root.hidden = true;
  const dialog = make('div', 'dialog');
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-labelledby', `${id}-title`);
  dialog.setAttribute('aria-describedby', `${id}-description`);
  dialog.tabIndex = -1;

  const header = make('div', 'header');
  const title = make('h2', 'title', strings.title);
  title.id = `${id}-title`;
  const close = button('close', '\u00d7', () => hide());
  close.setAttribute('aria-label', strings.close);
  header.append(title, close);

  const description = make('p', 'description', strings.description);
  description.id = `${id}-description`;

  const list = make('ul', 'purposes');
  const boxes = {};
  for (const purpose of PURPOSES) {
    const item = make('li', 'purpose');
    const box = make('input', 'toggle');
    box.type = 'checkbox';
    box.id = `${id}-${purpose}`;
    box.name = purpose;
    box.setAttribute('aria-describedby', `${id}-${purpose}-description`);
    const label = make('label', 'label', strings[`${purpose}Label`]);
    label.htmlFor = box.id;
    const hint = make('p', 'hint', strings[`${purpose}Description`]);
    hint.id = `${id}-${purpose}-description`;
    item.append(box, label, hint);
    list.append(item);
    boxes[purpose] = box;
  }

  const error = make('p', 'error');
  error.setAttribute('role', 'alert');

  const actions = make('div', 'actions');
  actions.append(
    button('button', strings.rejectAll, () => decide(false)),
    button('button', strings.acceptAll, () => decide(true)),
    button('button hearth-banner__button--secondary', strings.save, () => decide()),
  );

  dialog.append(header, description, list, error, actions);
  root.append(dialog);
  (options.container ?? document.body).append(root);

  // Behaviour.
  let isOpen = false;
  let auto = false;
  let busy = false;
  let destroyed = false;
  let previous = null;

  function show(automatic) {
    if (destroyed) return;
    try {
      const purposes = hearth.consent.get().purposes;
      for (const purpose of PURPOSES) boxes[purpose].checked = purposes[purpose] === true;
    } catch {
      // An unusable instance: show every purpose as off, as Hearth's own default is.
    }
    error.textContent = '';
    auto = automatic;
    if (isOpen) return;
    isOpen = true;
    previous = document.activeElement;
    ready.then(() => {
      if (!isOpen) return;
      root.hidden = false;
      dialog.focus();
    });
  }

  function hide() {
    if (!isOpen) return;
    isOpen = false;
    root.hidden = true;
    const back = previous;
    previous = null;
    if (back && back !== document.body && back.isConnected && typeof back.focus === 'function') back.focus();
  }

  // true: accept all; false: reject all; undefined: the toggles as they are.
  async function decide(all) {
    if (busy) return;
    busy = true;
    error.textContent = '';
    try {
      const choice = {};
      for (const purpose of PURPOSES) choice[purpose] = all ?? boxes[purpose].checked;
      // "Reject all" after `storage` was granted is a withdrawal: every purpose off and what is
      // stored erased. Otherwise the choice is recorded as it is (Hearth erases stored data
      // itself when `set` denies `storage`).
      if (all === false && hearth.consent.get().purposes.storage === true) await hearth.consent.withdraw();
      else await hearth.consent.set(choice);
      busy = false;
      hide();
    } catch {
      busy = false;
      error.textContent = strings.error;
    }
  }

  dialog.addEventListener('keydown', (event) => {
    // Escape (like ×) closes without recording anything: the visitor has not chosen, so the
    // state stays undecided (every purpose off) and the banner asks again on the next page.
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      hide();
    } else if (event.key === 'Tab') {
      const items = dialog.querySelectorAll('button, input');
      const first = items[0];
      const last = items[items.length - 1];
      const active = document.activeElement;
      if (event.shiftKey ? active === first || active === dialog : active === last) {
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
      }
    }
  });
  // A click on the backdrop must not move focus out of the dialog.
  root.addEventListener('mousedown', (event) => {
    if (event.target === root) event.preventDefault();
  });
  // Focus moved outside by other means (page scripts, assistive technology): bring it back.
  const keepFocus = (event) => {
    if (isOpen && !root.hidden && !dialog.contains(event.target)) dialog.focus();
  };
  document.addEventListener('focusin', keepFocus);

  // A decision made elsewhere (the site, another tab) closes a banner that opened by itself.
  const unsubscribe = hearth.on('consent', (state) => {
    if (!busy && isOpen && auto && !undecided(state)) hide();
  });

  if (options.showWhenDecided || undecided(hearth.consent.get())) show(true);

  return {
    open: () => show(false),
    close: () => hide(),
    destroy() {
      if (destroyed) return;
      hide();
      destroyed = true;
      document.removeEventListener('focusin', keepFocus);
      try {
        unsubscribe();
      } catch {
        // The instance is already gone.
      }
      root.remove();
      // Another banner on the page may share the stylesheet.
      if (!document.querySelector('.hearth-banner')) ownLink?.remove();
    },
  };
}
