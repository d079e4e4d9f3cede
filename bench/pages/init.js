// Measures script start → Hearth.init resolved, and the platform's floor for loading any
// wasm (fetch + instantiate an empty module) in the same page load.
(async () => {
  const initStart = performance.now();
  const hearth = await window.Hearth.init({ namespace: 'bench' });
  const ready = performance.now();
  const floorStart = performance.now();
  await WebAssembly.instantiateStreaming(fetch('/bench/empty.wasm?' + Math.random()));
  const floorMs = performance.now() - floorStart;
  window.benchResult = {
    scriptStartToReadyMs: ready - window.benchScriptStart,
    initCallMs: ready - initStart,
    emptyWasmFloorMs: floorMs,
    rank: window.location.hash === '#rank' ? window.HearthBench.rankBenchmarks(hearth) : [],
  };
})();
