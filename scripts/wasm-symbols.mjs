// Where a wasm module's bytes are: the code size of each function, named from the module's
// name section (present before wasm-opt strips it), summed by crate and module path.
//   node scripts/wasm-symbols.mjs <file.wasm> [--top N] [--by symbol|module]
// Demangles Rust's legacy (`_ZN…E`) and v0-free paths well enough to group them; the numbers
// are body bytes as stored (before compression), which is what the optimiser trims.
import { readFileSync } from 'node:fs';

/** Reads an unsigned LEB128 at `pos`; returns [value, next position]. */
function leb(bytes, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7;
  }
}

function utf8(bytes, start, length) {
  return new TextDecoder().decode(bytes.subarray(start, start + length));
}

/** Function names by index, body sizes by index, and the number of imported functions. */
export function functionSizes(bytes) {
  let pos = 8; // magic + version
  let imported = 0;
  const sizes = [];
  const names = new Map();
  while (pos < bytes.length) {
    const id = bytes[pos++];
    let size;
    [size, pos] = leb(bytes, pos);
    const end = pos + size;
    if (id === 2) {
      // imports: count the functions among them (their indices come first)
      let p = pos;
      let count;
      [count, p] = leb(bytes, p);
      for (let i = 0; i < count; i++) {
        let len;
        [len, p] = leb(bytes, p); p += len; // module
        [len, p] = leb(bytes, p); p += len; // field
        const kind = bytes[p++];
        if (kind === 0) { [, p] = leb(bytes, p); imported++; } // type index
        else if (kind === 1) { p++; const flags = bytes[p++]; [, p] = leb(bytes, p); if (flags & 1) [, p] = leb(bytes, p); } // table
        else if (kind === 2) { const flags = bytes[p++]; [, p] = leb(bytes, p); if (flags & 1) [, p] = leb(bytes, p); } // memory
        else if (kind === 3) { p += 2; } // global
        else if (kind === 4) { p++; [, p] = leb(bytes, p); } // tag
      }
    } else if (id === 10) {
      let p = pos;
      let count;
      [count, p] = leb(bytes, p);
      for (let i = 0; i < count; i++) {
        let body;
        [body, p] = leb(bytes, p);
        sizes.push(body);
        p += body;
      }
    } else if (id === 0) {
      let p = pos;
      let len;
      [len, p] = leb(bytes, p);
      const name = utf8(bytes, p, len);
      p += len;
      if (name === 'name') {
        while (p < end) {
          const sub = bytes[p++];
          let subSize;
          [subSize, p] = leb(bytes, p);
          const subEnd = p + subSize;
          if (sub === 1) {
            let count;
            [count, p] = leb(bytes, p);
            for (let i = 0; i < count; i++) {
              let index;
              [index, p] = leb(bytes, p);
              let nameLen;
              [nameLen, p] = leb(bytes, p);
              names.set(index, utf8(bytes, p, nameLen));
              p += nameLen;
            }
          }
          p = subEnd;
        }
      }
    }
    pos = end;
  }
  return sizes.map((size, i) => ({ name: names.get(imported + i) ?? `func[${imported + i}]`, size }));
}

/** `_ZN4core3fmt5write17h…E` → `core::fmt::write`; other names as they are. */
export function demangle(name) {
  if (!name.startsWith('_ZN')) return name;
  const parts = [];
  let p = 3;
  while (p < name.length && name[p] !== 'E') {
    let digits = '';
    while (/[0-9]/.test(name[p])) digits += name[p++];
    if (!digits) break;
    const part = name.slice(p, p + Number(digits));
    p += Number(digits);
    if (/^h[0-9a-f]{16}$/.test(part)) continue;
    parts.push(part.replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$u20\$/g, ' ')
      .replace(/\$RF\$/g, '&').replace(/\$C\$/g, ',').replace(/\.\./g, '::').replace(/\$u7b\$/g, '{').replace(/\$u7d\$/g, '}'));
  }
  return parts.join('::');
}

/** The crate and first module of a symbol, for grouping (`hearth_core::bandit`, `core::fmt`). */
export function moduleOf(symbol) {
  const path = demangle(symbol).replace(/^_?<+/, '').replace(/^impl /, '').replace(/\[[0-9a-f]+\]/g, '');
  const segments = path.split('::').filter(Boolean);
  return segments.slice(0, 2).join('::') || symbol;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 25;
  const by = process.argv.includes('--by') ? process.argv[process.argv.indexOf('--by') + 1] : 'module';
  const functions = functionSizes(readFileSync(file));
  const total = functions.reduce((s, f) => s + f.size, 0);
  const groups = new Map();
  for (const f of functions) {
    const key = by === 'symbol' ? demangle(f.name) : moduleOf(f.name);
    groups.set(key, (groups.get(key) ?? 0) + f.size);
  }
  console.log(`${file}: ${functions.length} functions, ${total} code bytes; top ${top} by ${by}:`);
  for (const [key, size] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${String(size).padStart(9)}  ${(size / total * 100).toFixed(1).padStart(5)} %  ${key}`);
  }
}
