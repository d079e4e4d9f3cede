// The loader stub: paste it (minified, `dist/hearth-stub.min.js`) inline before the async
// `<script src=".../hearth.js">`. It defines `window.hearth` as a queue — calls pushed before
// the SDK loads (`hearth.push(['consent.set', {...}])`, `hearth.ready(fn)`) are replayed in
// order once it has — and hides `[data-hearth-rank]` lists (keeping their space) until they
// are ranked, revealing the server's order after `TIMEOUT_MS` if the SDK is slow or blocked.
// The hiding rule is a constructed stylesheet, which a strict CSP allows (no inline style).
(function (w, d) {
  var h = (w.hearth = w.hearth || []);
  h.ready = function (f) {
    h.push(['ready', f]);
  };
  try {
    var s = new CSSStyleSheet();
    s.replaceSync('[data-hearth-rank]:not([data-hearth-ranked]){visibility:hidden}');
    d.adoptedStyleSheets = d.adoptedStyleSheets.concat(s);
    h.hold = s;
    setTimeout(function () {
      h.revealed = 1;
      s.replaceSync('');
    }, 1000);
  } catch (e) {
    // No constructed stylesheets (old browsers): lists are simply shown in the server's order.
  }
})(window, document);
