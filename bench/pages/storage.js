// Storage: the stored bytes after 100,000 events of a mix, and what one write costs —
// from a change to the stored revision moving (serialize, encrypt, one transaction) — next
// to a plain IndexedDB transaction putting the same bytes unencrypted, in the same page.
(async () => {
  const NS = 'bench-storage';
  const EVENTS = 100_000;
  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  await request(indexedDB.deleteDatabase(`hearth:${NS}`));
  await request(indexedDB.deleteDatabase('bench-baseline'));

  // 300 items with tags drawn from 2,000 (more than the profile keeps), in 40 slots.
  const list = document.getElementById('items');
  const items = [];
  for (let i = 0; i < 300; i++) {
    const li = document.createElement('li');
    li.dataset.hearthItem = `item-${i}`;
    li.dataset.hearthTags = [0, 1, 2].map((k) => `tag-${(i * 7 + k * 131) % 2000}`).join(',');
    li.textContent = `item ${i}`;
    list.append(li);
    items.push(li);
  }
  document.addEventListener('click', (e) => e.preventDefault());

  const hearth = await window.Hearth.init({ namespace: NS, ranker: { seed: 1 } });
  await hearth.consent.set({ storage: true, measurement: true, personalization: true });
  const readAll = async (store) => {
    const db = await request(indexedDB.open(`hearth:${NS}`));
    const values = await request(db.transaction(store).objectStore(store).getAll());
    db.close();
    return values;
  };
  const rev = async () => {
    const db = await request(indexedDB.open(`hearth:${NS}`));
    const value = await request(db.transaction('meta').objectStore('meta').get('rev'));
    db.close();
    return value ?? 0;
  };
  const hide = () => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    delete document.visibilityState;
  };
  const write = async () => {
    const before = await rev();
    const start = performance.now();
    hide();
    while ((await rev()) === before) {
      if (performance.now() - start > 10_000) throw new Error('no write within 10 s');
      await new Promise((r) => setTimeout(r, 1));
    }
    return performance.now() - start;
  };

  // 100,000 events: clicks on items, custom events with 60 names, and ranked decisions
  // (64 features per candidate) with rewards, written as they go.
  const candidates = Array.from({ length: 20 }, (_, i) => ({
    id: `item-${i}`,
    tags: [`tag-${i % 50}`],
    features: Object.fromEntries(Array.from({ length: 64 }, (_, f) => [`f${f}`, ((i * 31 + f * 17) % 100) / 100])),
  }));
  for (let n = 0; n < EVENTS; n++) {
    if (n % 10 === 9) {
      hearth.track(`event_${n % 60}`, { n });
    } else {
      items[(n * 7919) % items.length].click();
    }
    if (n % 500 === 0) {
      const result = hearth.rank({ slot: `slot-${n % 40}`, candidates, limit: 10 });
      hearth.reward(result.decisionId, result.items[0].id, n % 3 === 0 ? 1 : 0);
      await new Promise((r) => setTimeout(r, 0));
    }
    if (n % 20_000 === 19_999) await write();
  }

  const bytes = (envelope) => envelope.data?.byteLength ?? envelope.text?.length ?? 0;
  const sizes = {};
  for (const store of ['profiles', 'model', 'decisions', 'events', 'consent']) {
    sizes[store] = (await readAll(store)).reduce((sum, envelope) => sum + bytes(envelope), 0);
  }

  // One write after one click and one reward, 15 times.
  const writes = [];
  for (let i = 0; i < 15; i++) {
    items[i].click();
    const result = hearth.rank({ slot: 'bench', candidates, limit: 10 });
    hearth.reward(result.decisionId, result.items[0].id, 1);
    writes.push(await write());
  }
  // The baseline: one transaction putting the same bytes (household + model + one event and
  // one decision) unencrypted, measured the same way (from the call to the completion seen).
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('bench-baseline', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('kv');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const payload = new Uint8Array(sizes.profiles + sizes.model + 2_000);
  const baseline = [];
  for (let i = 0; i < 15; i++) {
    const start = performance.now();
    const tx = db.transaction('kv', 'readwrite');
    tx.objectStore('kv').put(payload.slice(), `k${i}`);
    await new Promise((resolve) => { tx.oncomplete = resolve; });
    baseline.push(performance.now() - start);
  }
  db.close();
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const profile = await hearth.profile.get();
  window.benchResult = {
    events: EVENTS,
    sizes,
    writeMs: median(writes),
    baselineMs: median(baseline),
    tags: profile.topAffinities.length,
    clicks: profile.counts.all.clicks,
  };
})().catch((error) => { window.benchResult = { error: String(error?.stack ?? error) }; });
