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
    rank: window.location.hash === '#rank' ? await rankRows(hearth) : [],
  };
})();

async function rankRows(hearth) {
  const rows = window.HearthBench.rankBenchmarks(hearth);
  const personalized = await window.Hearth.init({ namespace: 'bench-personalized', storage: 'memory', ranker: { seed: 1 } });
  await personalized.consent.set({ personalization: true });
  rows.push(...window.HearthBench.personalizedBenchmarks(personalized));
  personalized.destroy();
  return rows;
}
