// Packs a JavaScript value into flat arrays for the core (see crates/core/src/tape.rs): walking objects
// is fast in JavaScript and slow across the wasm boundary, so `rank` requests cross in one
// piece. The bounds come from the core; past them values are marked, never dropped silently.
const NULL = 0, FALSE = 1, TRUE = 2, NUMBER = 3, STRING = 4, LIST = 5, OBJECT = 6, UNSUPPORTED = 7;
const REASON = { function: 0, symbol: 1, bigint: 2, deep: 3, getter: 4, large: 5 };

/** A typed array that grows by doubling: pushing into plain arrays and copying them out
 * cost about as much as reading the candidates. */
class Column {
  constructor(Type) {
    this.data = new Type(1024);
    this.length = 0;
  }
  push(value) {
    if (this.length === this.data.length) {
      const grown = new this.data.constructor(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  view() {
    return this.data.subarray(0, this.length);
  }
}

/** Returns `[kinds, refs, numbers, strings, stringLengths]` for `HearthCore.rankPacked`. */
export function pack(root, limits) {
  const kinds = new Column(Uint8Array);
  const refs = new Column(Uint32Array);
  const numbers = new Column(Float64Array);
  const strings = [];
  const index = new Map();
  let nodes = 0;

  const string = (raw) => {
    let i = index.get(raw);
    if (i === undefined) {
      // A lone surrogate at the end of one string would pair with one at the start of the
      // next once joined; well-formed strings (same length, U+FFFD instead) keep the table
      // aligned. Keyed by the raw string, so that each distinct string is checked once.
      i = strings.length;
      strings.push(raw.toWellFormed());
      index.set(raw, i);
    }
    refs.push(i);
  };
  const unsupported = (reason) => {
    kinds.push(UNSUPPORTED);
    refs.push(reason);
  };
  const walk = (value, depth) => {
    if (++nodes > limits.nodes) return unsupported(REASON.large);
    if (value === null || value === undefined) return void kinds.push(NULL);
    switch (typeof value) {
      case 'boolean':
        return void kinds.push(value ? TRUE : FALSE);
      case 'number':
        kinds.push(NUMBER);
        return void numbers.push(value);
      case 'string':
        kinds.push(STRING);
        return string(value);
      case 'object':
        break;
      default:
        return unsupported(REASON[typeof value] ?? REASON.function);
    }
    if (depth >= limits.depth) return unsupported(REASON.deep);
    if (Array.isArray(value)) {
      const count = Math.min(value.length, limits.list);
      kinds.push(LIST);
      refs.push(count);
      for (let i = 0; i < count; i++) {
        let entry;
        try {
          entry = value[i];
        } catch {
          unsupported(REASON.getter);
          continue;
        }
        walk(entry, depth + 1);
      }
      return;
    }
    const keys = Object.keys(value);
    const count = Math.min(keys.length, limits.keys);
    kinds.push(OBJECT);
    refs.push(count);
    for (let i = 0; i < count; i++) {
      const key = keys[i];
      string(key);
      let field;
      try {
        field = value[key];
      } catch {
        unsupported(REASON.getter);
        continue;
      }
      // Inline the commonest value (a candidate's features are numbers), as `walk` would.
      if (typeof field === 'number' && nodes < limits.nodes) {
        nodes++;
        kinds.push(NUMBER);
        numbers.push(field);
      } else {
        walk(field, depth + 1);
      }
    }
  };
  walk(root, 0);
  return [
    kinds.view(),
    refs.view(),
    numbers.view(),
    strings.join(''),
    Uint32Array.from(strings, (s) => s.length),
  ];
}
