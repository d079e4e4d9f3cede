/**
 * Hearth's optional consent banner: a small, accessible dialog that records the visitor's
 * choice per purpose through `hearth.consent`, for sites without a consent management platform.
 *
 * @example
 * import { Hearth } from 'hearth-sdk';
 * import { mountConsentBanner } from 'hearth-sdk/banner';
 *
 * const hearth = await Hearth.init({ namespace: 'news' });
 * const banner = mountConsentBanner(hearth);
 * document.querySelector('#privacy-settings')?.addEventListener('click', () => banner.open());
 *
 * @packageDocumentation
 */

/** The three purposes a visitor grants or refuses. */
export interface BannerPurposes {
  /** Keeping anything on the device (IndexedDB). */
  storage: boolean;
  /** Capturing interaction events. */
  measurement: boolean;
  /** Building a profile and ranking with it. */
  personalization: boolean;
}

/**
 * Who decided the current consent state. `'default'` and `'gpc'` mean nothing has been chosen
 * yet under the current policy version: the banner opens by itself then.
 */
export type BannerConsentSource = 'default' | 'user' | 'gpc' | 'tcf' | 'site';

/** The part of Hearth's `ConsentState` the banner reads. */
export interface BannerConsentState {
  /** Which purposes are granted now. */
  readonly purposes: Readonly<BannerPurposes>;
  /** Who decided. */
  readonly source: BannerConsentSource;
}

/**
 * The part of a Hearth instance the banner uses. A `Hearth` from `hearth-sdk` (or
 * `window.Hearth` on script-tag pages) satisfies it.
 */
export interface BannerHearth {
  /** The visitor's consent. */
  readonly consent: {
    /** The current state. */
    get(): BannerConsentState;
    /** Records a choice; the banner always passes all three purposes and the default source `'user'`. */
    set(purposes: Partial<BannerPurposes>, options?: { source?: 'user' | 'site' }): Promise<BannerConsentState>;
    /** Turns every purpose off and erases everything stored. */
    withdraw(): Promise<BannerConsentState>;
  };
  /** Calls `listener` on each consent change; returns a function that removes it. */
  on(type: 'consent', listener: (state: BannerConsentState) => void): () => void;
}

/** Every text the banner shows. Override any of them with {@link BannerOptions.strings}. */
export interface BannerStrings {
  /** The dialog's heading (its accessible name). Default `'Your privacy choices'`. */
  title: string;
  /** The paragraph under the heading (the dialog's accessible description). */
  description: string;
  /** Label of the `storage` checkbox. Default `'Storage on this device'`. */
  storageLabel: string;
  /** One sentence under the `storage` checkbox (its accessible description). */
  storageDescription: string;
  /** Label of the `measurement` checkbox. Default `'Measurement'`. */
  measurementLabel: string;
  /** One sentence under the `measurement` checkbox (its accessible description). */
  measurementDescription: string;
  /** Label of the `personalization` checkbox. Default `'Personalization'`. */
  personalizationLabel: string;
  /** One sentence under the `personalization` checkbox (its accessible description). */
  personalizationDescription: string;
  /** The button that refuses every purpose. Default `'Reject all'`. */
  rejectAll: string;
  /** The button that grants every purpose. Default `'Accept all'`. */
  acceptAll: string;
  /** The button that records the checkboxes as they are. Default `'Save choices'`. */
  save: string;
  /** Accessible name of the × button, which closes without recording anything. Default `'Close'`. */
  close: string;
  /** Shown (as `role="alert"`) when recording the choice fails; the banner stays open. */
  error: string;
}

/** Options of {@link mountConsentBanner}. */
export interface BannerOptions {
  /** Texts replacing the English defaults, key by key; keys left out keep their default. */
  strings?: Partial<BannerStrings>;
  /** Where the banner's element is appended. Default `document.body`. */
  container?: Element;
  /**
   * The stylesheet to inject as `<link rel="stylesheet">` (once per URL). Default: `banner.css`
   * next to the module (`hearth-banner.css` next to the script for `dist/hearth-banner.js`).
   * `false` injects nothing, for a site that includes the stylesheet itself.
   */
  cssHref?: string | URL | false;
  /** Open on mount even when the visitor has already decided. Default `false`. */
  showWhenDecided?: boolean;
}

/** Controls a mounted banner. */
export interface BannerController {
  /** Shows the banner with the current choices ticked (the "privacy settings" entry point). */
  open(): void;
  /** Hides the banner without recording anything, and returns focus to where it was. */
  close(): void;
  /** Removes the banner, its listeners and (when no other banner uses it) its stylesheet. */
  destroy(): void;
}

/**
 * Mounts the consent banner. It opens by itself while the visitor is undecided (or always, with
 * `showWhenDecided`). "Accept all" grants every purpose; "Reject all" records a refusal of
 * every purpose, or calls `withdraw()` when `storage` was granted so stored data is erased;
 * "Save choices" records the checkboxes. Escape and × close it without recording anything.
 */
export declare function mountConsentBanner(hearth: BannerHearth, options?: BannerOptions): BannerController;
