// Workloads shared by the Node and browser benchmarks (plain script: no module syntax, so
// the browser page can load it with a classic <script>).
(function (root) {
  /** `count` candidates with `featureCount` numeric features and three tags each. */
  function makeCandidates(count, featureCount) {
    const candidates = [];
    for (let i = 0; i < count; i++) {
      const features = {};
      for (let f = 0; f < featureCount; f++) features['f' + f] = ((i * 31 + f * 17) % 101) / 100;
      candidates.push({ id: 'item-' + i, tags: ['t' + (i % 7), 't' + (i % 11), 't' + (i % 13)], features, score: 1 - i / count });
    }
    return candidates;
  }

  /** The baseline: what the same call costs in plain JavaScript (validate, keep server order). */
  function plainJsServerOrder(request) {
    const seen = new Set();
    const items = [];
    request.candidates.forEach((c, index) => {
      if (typeof c.id !== 'string' || c.id.length === 0 || seen.has(c.id)) throw new Error('bad id at ' + index);
      seen.add(c.id);
      for (const key in c.features) if (!Number.isFinite(c.features[key])) throw new Error('bad feature at ' + index);
      if (c.score !== undefined && !Number.isFinite(c.score)) throw new Error('bad score at ' + index);
      items.push({ id: c.id, score: c.score ?? 0, probability: 1, reasons: ['server order'] });
    });
    return { decisionId: Math.random().toString(16).slice(2), items: items.slice(0, request.limit ?? items.length) };
  }

  /** Median of `runs` timings (ms) of `fn`, after `warmup` untimed calls. */
  function medianMs(fn, runs, warmup) {
    for (let i = 0; i < warmup; i++) fn();
    const times = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      fn();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  }

  /** Times `rank` against the plain-JS baseline for each size. */
  function rankBenchmarks(hearth) {
    const rows = [];
    for (const [count, featureCount, runs] of [[100, 64, 200], [1000, 64, 40]]) {
      const request = { slot: 'bench', candidates: makeCandidates(count, featureCount) };
      const hearthMs = medianMs(() => hearth.rank(request), runs, 10);
      const baselineMs = medianMs(() => plainJsServerOrder(request), runs, 10);
      rows.push({ name: 'rank ' + count + ' × ' + featureCount + ' (server order)', medianMs: hearthMs, baselineMs, baseline: 'plain-JS validate + server order' });
    }
    return rows;
  }

  /** Times personalized `rank` (LinUCB after some rewards) and one `reward`. */
  function personalizedBenchmarks(hearth) {
    const rows = [];
    for (const [count, featureCount, runs] of [[100, 64, 100], [1000, 64, 20]]) {
      const request = { slot: 'bench', candidates: makeCandidates(count, featureCount), context: { page: 'home' } };
      for (let i = 0; i < 20; i++) {
        const result = hearth.rank(request);
        hearth.reward(result.decisionId, result.items[i % 5].id, 1);
      }
      const rankMs = medianMs(() => hearth.rank(request), runs, 5);
      rows.push({ name: 'rank ' + count + ' × ' + featureCount + ' (LinUCB, personalized)', medianMs: rankMs });
    }
    const request = { slot: 'bench', candidates: makeCandidates(100, 8), context: { page: 'home' } };
    const decisions = Array.from({ length: 60 }, () => hearth.rank(request));
    let next = 0;
    const rewardMs = medianMs(() => {
      const decision = decisions[next % decisions.length];
      hearth.reward(decision.decisionId, decision.items[Math.floor(next / decisions.length)].id, 1);
      next += 1;
    }, 200, 0);
    rows.push({ name: 'reward (100 candidates × 8 features)', medianMs: rewardMs });
    return rows;
  }

  root.HearthBench = { makeCandidates, plainJsServerOrder, medianMs, rankBenchmarks, personalizedBenchmarks };
})(typeof window !== 'undefined' ? window : globalThis);
