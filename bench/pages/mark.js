// Runs first: the moment the page's scripts start.
window.benchScriptStart = performance.now();
