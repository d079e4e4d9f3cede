// The public `Hearth` API over the wasm core. Kept small: loading, namespaces, events.
// Every error it throws is a real `Error` named `HearthError` with a stable `code`.
import initWasm, { HearthCore, decodeTcString, inputLimits } from './hearth.js';
import { pack } from './pack.js';

const EVENT_TYPES = ['consent', 'decision', 'error', 'capture', 'segment'];
/** The longest `Hearth.init` waits for stored data before going on in memory (it is merged
 * when it arrives). */
const READY_TIMEOUT_MS = 2000;


/** Whether `value` is an error thrown or rejected by Hearth. */
export function isHearthError(value) {
  return value instanceof Error && value.name === 'HearthError' && typeof value.code === 'string';
}

function hearthError(code, message) {
  const error = new Error(message);
  error.name = 'HearthError';
  error.code = code;
  return error;
}

/** A short description of any value for an error message; never throws (no JSON.stringify:
 * a cycle, a BigInt or a throwing `toString` must not replace the error being reported). */
function describe(value) {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (value === null || ['undefined', 'number', 'boolean', 'bigint'].includes(typeof value)) {
    return typeof value === 'bigint' ? `${value}n` : String(value);
  }
  try {
    return `a ${Array.isArray(value) ? 'list' : typeof value}`;
  } catch {
    return 'an unreadable object'; // a revoked Proxy
  }
}

/**
 * Runs `call`, turning anything thrown that is not a HearthError (a Proxy whose traps throw,
 * a getter that throws, a revoked Proxy: what JavaScript throws while Hearth reads the
 * arguments) into a HearthError with `code`, so that every failure keeps the error contract.
 * Works for calls that return promises too.
 */
function guarded(code, what, call) {
  const wrap = (error) => {
    if (isHearthError(error)) return error;
    return hearthError(code, `${what}: the argument could not be read (${error?.name ?? 'Error'}: ${String(error?.message ?? '').slice(0, 200)})`);
  };
  return (...args) => {
    let result;
    try {
      result = call(...args);
    } catch (error) {
      throw wrap(error);
    }
    return result instanceof Promise ? result.catch((error) => { throw wrap(error); }) : result;
  };
}

/**
 * Builds the `Hearth` class for one way of loading the wasm (browser URL, Node file, script
 * tag). `wasmSource` returns what the wasm-bindgen glue's init accepts, or undefined for its
 * default (`hearth_bg.wasm` next to the glue).
 */
export function defineHearth(wasmSource) {
  let loading = null;
  let limits = null;
  const load = () => {
    loading ??= Promise.resolve()
      .then(wasmSource)
      .then((source) => initWasm(source === undefined ? undefined : { module_or_path: source }))
      .catch((error) => {
        loading = null; // a later init may try again (e.g. after a network error)
        throw hearthError('internal', `the Hearth wasm module could not be loaded: ${error?.message ?? error}`);
      });
    return loading;
  };

  return class Hearth {
    #core;
    #listeners = new Map();
    // Guarded once, not per call: sites call `reward` and `track` often.
    #reward = guarded('invalid_request', 'reward', (decisionId, itemId, value) => this.#core.reward(decisionId, itemId, value));
    #track = guarded('invalid_event', 'track', (name, props) => this.#core.track(name, props));

    /** Loads the SDK once and creates an instance; rejects with `invalid_options`. */
    static async init(options) {
      await load();
      let hearth = null;
      // Events emitted before `init` resolves (a CMP answering at once, a stored record that
      // cannot be read) wait for the instance's listeners, like the start-up errors.
      let early = [];
      let returned = false;
      const drain = () => {
        const queued = early ?? [];
        early = null;
        queued.forEach(([type, payload]) => hearth.#emit(type, payload));
      };
      const create = guarded('invalid_options', 'Hearth.init', (opts, emit) => new HearthCore(opts, emit));
      const core = create(options, (type, payload) => {
        if (!returned) return early.push([type, payload]);
        drain();
        return hearth.#emit(type, payload);
      });
      hearth = new Hearth(core);
      // The stored profile is read before the first `rank` (a blocked or failing database
      // does not hold this up: Hearth then works in memory and says so with an `error` event;
      // nor does a database that never answers, after READY_TIMEOUT_MS).
      await Promise.race([core.ready(), new Promise((resolve) => setTimeout(resolve, READY_TIMEOUT_MS))]);
      // Reported after `await Hearth.init()` returns, so that listeners added then hear them.
      // A later event delivers them first, so that order is kept.
      returned = true;
      setTimeout(() => {
        drain();
        core.takeStartupErrors().forEach((error) => hearth.#emit('error', error));
      }, 0);
      return hearth;
    }

    /** Decodes an IAB TCF v2 TC string (for debugging a CMP); rejects with `invalid_tc_string`. */
    static async decodeTcString(tcString) {
      await load();
      return guarded('invalid_tc_string', 'decodeTcString', decodeTcString)(tcString);
    }

    constructor(core) {
      if (!(core instanceof HearthCore)) {
        throw hearthError('invalid_request', 'use `await Hearth.init(options)` to create an instance');
      }
      this.#core = core;
      // Methods keep working when taken off the instance (`const { track } = hearth`).
      for (const name of ['rank', 'reward', 'track', 'context', 'segments', 'on', 'off', 'destroy']) {
        this[name] = this[name].bind(this);
      }
      this.consent = Object.freeze({
        get: () => this.#core.consentGet(),
        set: guarded('invalid_consent', 'consent.set', async (purposes, options) => {
          const { state, done } = this.#core.consentSet(purposes, options);
          await done;
          return state;
        }),
        withdraw: async () => {
          const { state, done } = this.#core.consentWithdraw();
          await done;
          return state;
        },
        history: () => this.#core.consentHistory(),
      });
      this.decisions = Object.freeze({
        export: guarded('invalid_request', 'decisions.export', async (options) => {
          const format = options === undefined || options === null ? 'dsjson' : options.format ?? 'dsjson';
          if (format !== 'dsjson') {
            throw hearthError('invalid_request', `decisions.export: format must be 'dsjson', got ${describe(format)}`);
          }
          // The stored log (every tab's decisions, across page loads), or this page's own
          // when nothing is stored.
          const { decisions } = await this.#core.profileExport();
          return decisions.map((line) => JSON.stringify(line)).join('\n');
        }),
      });
      this.model = Object.freeze({
        export: () => this.#core.modelExport(),
        import: guarded('invalid_snapshot', 'model.import', (snapshot) => this.#core.modelImport(snapshot)),
      });
      this.profile = Object.freeze({
        get: async () => this.#core.profileGet(),
        export: () => this.#core.profileExport(),
        erase: () => this.#core.profileErase(),
        use: guarded('invalid_profile', 'profile.use', async (name) => this.#core.profileUse(name)),
        list: async () => this.#core.profileList(),
        remove: guarded('invalid_profile', 'profile.remove', async (name) => this.#core.profileRemove(name)),
      });
      this.capture = Object.freeze({
        recent: () => this.#core.captureRecent(),
        status: () => this.#core.captureStatus(),
      });
    }

    /**
     * Learns the visitor's response to an item a decision showed: 1 (the default) for a
     * click or conversion, 0 for ignored. Clicks on `[data-hearth-item]` elements inside a
     * ranked `[data-hearth-rank]` slot are rewarded automatically. Returns false when the item
     * was already rewarded in that decision.
     */
    reward(decisionId, itemId, value) {
      return this.#reward(decisionId, itemId, value);
    }

    /**
     * Records a custom event. Returns false (and keeps nothing) unless `measurement` is
     * allowed; throws `invalid_event` for a bad name or properties whatever the consent.
     */
    track(name, props) {
      return this.#track(name, props);
    }

    /** The active profile's segments, e.g. `['returning', 'sports-fan']` (empty without personalization). */
    segments() {
      return this.#core.segments();
    }

    /** The ranking context now (device class, viewport, language, local time…), or null. */
    context() {
      return this.#core.context();
    }


    /** Orders `request.candidates`; synchronous. Throws `invalid_candidates` / `invalid_request`. */
    rank(request) {
      limits ??= inputLimits();
      let packed;
      try {
        packed = pack(request, limits);
      } catch (error) {
        // Only exotic objects get here (a Proxy whose traps throw).
        throw hearthError('invalid_request', `rank: the request could not be read: ${error?.message ?? error}`);
      }
      const result = this.#core.rankPacked(...packed);
      this.#emit('decision', result);
      return result;
    }

    /** Calls `listener` on each event of `type`; returns a function that removes it. */
    on(type, listener) {
      if (!EVENT_TYPES.includes(type)) {
        throw hearthError('invalid_request', `on(): unknown event type ${describe(type)}; expected one of ${EVENT_TYPES.join(', ')}`);
      }
      if (typeof listener !== 'function') {
        throw hearthError('invalid_request', `on(${describe(type)}): the listener must be a function`);
      }
      if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
      this.#listeners.get(type).add(listener);
      if (type === 'capture') this.#core.setCaptureListening(true);
      return () => this.off(type, listener);
    }

    /** Removes a listener added with `on`. */
    off(type, listener) {
      this.#listeners.get(type)?.delete(listener);
      if (type === 'capture' && !this.#listeners.get(type)?.size) this.#core.setCaptureListening(false);
    }


    /** Releases everything; later calls fail with `destroyed`. */
    destroy() {
      this.#core.destroy();
      this.#listeners.clear();
      this.#core.setCaptureListening(false);
    }


    #emit(type, payload) {
      for (const listener of this.#listeners.get(type) ?? []) {
        try {
          listener(payload);
        } catch (error) {
          // A failing listener must not break Hearth or the other listeners; report it the
          // way the platform reports errors in event listeners.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    }
  };
}
