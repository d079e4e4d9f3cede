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

  /**
   * The baseline: a plain-JavaScript LinUCB over each candidate's own numeric features (a
   * dense d × d inverse covariance kept by Sherman–Morrison), with no hashing, no
   * interactions and no validation — the simplest thing a site could write itself.
   */
  function plainJsLinUcb(dimension, alpha) {
    const inverse = new Float64Array(dimension * dimension);
    for (let i = 0; i < dimension; i++) inverse[i * dimension + i] = 1;
    const b = new Float64Array(dimension);
    const theta = new Float64Array(dimension);
    const vector = (candidate) => Float64Array.from(Object.values(candidate.features).slice(0, dimension));
    const inverseTimes = (x) => {
      const out = new Float64Array(dimension);
      for (let i = 0; i < dimension; i++) {
        let sum = 0;
        for (let j = 0; j < dimension; j++) sum += inverse[i * dimension + j] * x[j];
        out[i] = sum;
      }
      return out;
    };
    const score = (x) => {
      const ax = inverseTimes(x);
      let mean = 0, width = 0;
      for (let i = 0; i < dimension; i++) { mean += theta[i] * x[i]; width += x[i] * ax[i]; }
      return mean + alpha * Math.sqrt(Math.max(width, 0));
    };
    return {
      rank(candidates, limit) {
        return candidates.map((c) => [c.id, score(vector(c))]).sort((p, q) => q[1] - p[1]).slice(0, limit);
      },
      reward(candidate, value) {
        const x = vector(candidate);
        const ax = inverseTimes(x);
        let denominator = 1;
        for (let i = 0; i < dimension; i++) denominator += x[i] * ax[i];
        for (let i = 0; i < dimension; i++) {
          for (let j = 0; j < dimension; j++) inverse[i * dimension + j] -= (ax[i] * ax[j]) / denominator;
          b[i] += value * x[i];
        }
        const solved = inverseTimes(b);
        theta.set(solved);
      },
    };
  }

  /** Times personalized `rank` (LinUCB after some rewards) and one `reward`, each against
   * the plain-JavaScript LinUCB baseline on the same candidates. */
  function personalizedBenchmarks(hearth) {
    const rows = [];
    for (const [count, featureCount, runs] of [[100, 64, 100], [1000, 64, 20]]) {
      const request = { slot: 'bench', candidates: makeCandidates(count, featureCount), context: { page: 'home' } };
      const baseline = plainJsLinUcb(featureCount, 0.2);
      for (let i = 0; i < 20; i++) {
        const result = hearth.rank(request);
        hearth.reward(result.decisionId, result.items[i % 5].id, 1);
        baseline.reward(request.candidates[i % 5], 1);
      }
      const rankMs = medianMs(() => hearth.rank(request), runs, 5);
      const baselineMs = medianMs(() => baseline.rank(request.candidates, count), runs, 5);
      rows.push({ name: 'rank ' + count + ' × ' + featureCount + ' (LinUCB, personalized)', medianMs: rankMs, baselineMs, baseline: 'plain-JS LinUCB, dense 64-d' });
    }
    // Rewards are timed in batches of 50: browsers coarsen performance.now() to 100 µs.
    const BATCH = 50;
    const request = { slot: 'bench', candidates: makeCandidates(100, 8), context: { page: 'home' } };
    const decisions = Array.from({ length: 60 }, () => hearth.rank(request));
    let next = 0;
    const rewardMs = medianMs(() => {
      for (let i = 0; i < BATCH; i++, next++) {
        const decision = decisions[next % decisions.length];
        hearth.reward(decision.decisionId, decision.items[Math.floor(next / decisions.length)].id, 1);
      }
    }, 40, 0) / BATCH;
    const baseline = plainJsLinUcb(8, 0.2);
    let at = 0;
    const baselineMs = medianMs(() => {
      for (let i = 0; i < BATCH; i++) baseline.reward(request.candidates[at++ % 100], 1);
    }, 40, 0) / BATCH;
    rows.push({ name: 'reward (100 candidates × 8 features)', medianMs: rewardMs, baselineMs, baseline: 'plain-JS LinUCB, dense 8-d' });
    return rows;
  }

  root.HearthBench = { makeCandidates, plainJsServerOrder, medianMs, rankBenchmarks, personalizedBenchmarks };
})(typeof window !== 'undefined' ? window : globalThis);
