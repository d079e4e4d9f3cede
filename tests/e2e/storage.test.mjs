// The stored profile in real Chromium: what IndexedDB holds (read directly from the page),
// reloads, two tabs, the visitor's rights, migrations and every fault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';

const browser = useBrowser();
const ALL = { storage: true, measurement: true, personalization: true };

/** Page helpers: raw IndexedDB reads and a way to make the page write at once. */
function installHelpers() {
  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  window.idb = {
    open: (name) => request(indexedDB.open(name)),
    async read(name, store, key) {
      const db = await window.idb.open(name);
      try {
        return await request(db.transaction(store).objectStore(store).get(key));
      } finally {
        db.close();
      }
    },
    async all(name, store) {
      const db = await window.idb.open(name);
      try {
        const tx = db.transaction(store);
        const [keys, values] = await Promise.all([
          request(tx.objectStore(store).getAllKeys()),
          request(tx.objectStore(store).getAll()),
        ]);
        return keys.map((key, i) => [key, values[i]]);
      } finally {
        db.close();
      }
    },
    async put(name, store, key, value) {
      const db = await window.idb.open(name);
      try {
        const tx = db.transaction(store, 'readwrite');
        tx.objectStore(store).put(value, key);
        await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
      } finally {
        db.close();
      }
    },
    stores: async (name) => {
      const db = await window.idb.open(name);
      const names = [...db.objectStoreNames];
      db.close();
      return names;
    },
  };
  /** Hides the page (which writes at once), waits until the revision moves, shows it again. */
  window.flushNow = async (ns) => {
    const rev = async () => (await window.idb.read(`hearth:${ns}`, 'meta', 'rev')) ?? 0;
    const before = await rev();
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    const deadline = Date.now() + 5000;
    while ((await rev()) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    delete document.visibilityState;
    document.dispatchEvent(new Event('visibilitychange'));
    return rev();
  };
  window.clickItem = (id, times = 1) => {
    const element = document.querySelector(`[data-hearth-item="${id}"]`);
    for (let i = 0; i < times; i += 1) element.click();
  };
}

async function openPage(path = '/capture.html') {
  const opened = await browser.open(path);
  await opened.page.evaluate(installHelpers);
  return opened;
}

test('the profile survives a reload, and what is stored is ciphertext', async () => {
  const { page, problems, close } = await openPage();
  const rev = await page.evaluate(async (all) => {
    const hearth = await window.Hearth.init({ namespace: 'e2e-reload' });
    await hearth.consent.set(all);
    window.clickItem('a1', 3);
    const result = hearth.rank({ slot: 'feed', candidates: [{ id: 'a1', tags: ['sports'] }, { id: 'a2' }] });
    hearth.reward(result.decisionId, 'a1', 1);
    return window.flushNow('e2e-reload');
  }, ALL);
  assert.ok(rev >= 1, `a write happened (rev ${rev})`);
  const raw = await page.evaluate(async () => {
    const envelope = await window.idb.read('hearth:e2e-reload', 'profiles', 'household');
    const bytes = new Uint8Array(envelope.data);
    return {
      keys: Object.keys(envelope).sort(),
      ivLength: envelope.iv.length,
      plaintextVisible: new TextDecoder('latin1').decode(bytes).includes('football'),
      keyExtractable: (await window.idb.read('hearth:e2e-reload', 'meta', 'key')).extractable,
      stores: (await window.idb.stores('hearth:e2e-reload')).sort(),
    };
  });
  assert.deepEqual(raw.keys, ['data', 'iv']);
  assert.equal(raw.ivLength, 12);
  assert.equal(raw.plaintextVisible, false);
  assert.equal(raw.keyExtractable, false);
  assert.deepEqual(raw.stores, ['consent', 'decisions', 'events', 'meta', 'model', 'profiles']);

  await page.reload();
  await page.evaluate(installHelpers);
  const after = await page.evaluate(async () => {
    const hearth = await window.Hearth.init({ namespace: 'e2e-reload' });
    const profile = await hearth.profile.get();
    return {
      clicks: profile.counts.all.clicks,
      tags: profile.topAffinities.map((a) => a.tag),
      storedIn: profile.storedIn,
      rewards: (await hearth.profile.export()).model.rewardsLearned,
    };
  });
  assert.equal(after.clicks, 3);
  assert.ok(after.tags.includes('sports') && after.tags.includes('football'), after.tags.join());
  assert.equal(after.storedIn, 'indexeddb');
  assert.ok(after.rewards >= 1);
  assert.deepEqual(problems, []);
  await close();
});

test('granting storage after personalization keeps what the page learned', async () => {
  const { page, problems, close } = await openPage();
  await page.evaluate(async () => {
    const hearth = await window.Hearth.init({ namespace: 'e2e-late-storage' });
    await hearth.consent.set({ measurement: true, personalization: true });
    window.clickItem('a1', 2);
    await hearth.consent.set({ storage: true });
    await new Promise((r) => setTimeout(r, 100));
    await window.flushNow('e2e-late-storage');
  });
  await page.reload();
  const clicks = await page.evaluate(async () => {
    const hearth = await window.Hearth.init({ namespace: 'e2e-late-storage' });
    return (await hearth.profile.get()).counts.all.clicks;
  });
  assert.equal(clicks, 2);
  assert.deepEqual(problems, []);
  await close();
});

test('an erase in one tab reaches the other tabs, which write nothing of it back', async () => {
  const first = await openPage();
  const second = await first.page.context().newPage();
  await second.goto(first.page.url());
  await second.evaluate(installHelpers);
  const start = async (all) => {
    // Unencrypted, so that the test can read the stored household itself.
    window.tab = await window.Hearth.init({ namespace: 'e2e-erase-tabs', encryption: false });
    await window.tab.consent.set(all);
  };
  await first.page.evaluate(start, ALL);
  await second.evaluate(start, ALL);
  await second.evaluate(async () => {
    window.clickItem('a1', 3);
    await window.flushNow('e2e-erase-tabs');
    window.clickItem('a1', 2); // not written yet when the other tab erases
  });
  await first.page.evaluate(() => window.tab.profile.erase());
  await second.waitForFunction(async () => (await window.tab.profile.get()).counts.all.clicks === 0, null, { timeout: 5000, polling: 100 });
  // The second tab's next write carries none of what was erased.
  const stored = await second.evaluate(async () => {
    window.clickItem('a2', 1);
    await window.flushNow('e2e-erase-tabs');
    // Another tab's write may have moved the revision first: wait for this one's.
    const clicks = async () => {
      const envelope = await window.idb.read('hearth:e2e-erase-tabs', 'profiles', 'household');
      return envelope ? JSON.parse(envelope.text).profiles.default.windows.totals[2] : 0;
    };
    const deadline = Date.now() + 5000;
    while ((await clicks()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return clicks();
  });
  assert.equal(stored, 1, 'only the click made after the erase');
  assert.deepEqual(first.problems, []);
  await first.close();
});

test('export returns everything stored; erase deletes all of it but the consent record', async () => {
  const { page, problems, close } = await openPage();
  const outcome = await page.evaluate(async (all) => {
    const hearth = await window.Hearth.init({ namespace: 'e2e-rights' });
    await hearth.consent.set(all);
    window.clickItem('a2', 2);
    hearth.track('newsletter_signup', { plan: 'free' });
    hearth.rank({ slot: 'feed', candidates: [{ id: 'a1' }, { id: 'a2' }] });
    const exported = await hearth.profile.export();
    const storedEvents = (await window.idb.all('hearth:e2e-rights', 'events')).length;
    const storedDecisions = (await window.idb.all('hearth:e2e-rights', 'decisions')).length;
    await hearth.profile.erase();
    const afterErase = {
      profile: await hearth.profile.get(),
      export: await hearth.profile.export(),
      events: (await window.idb.all('hearth:e2e-rights', 'events')).length,
      household: await window.idb.read('hearth:e2e-rights', 'profiles', 'household'),
      consent: JSON.parse(localStorage.getItem('hearth:e2e-rights:consent')).entries.length,
    };
    return { exported, storedEvents, storedDecisions, afterErase };
  }, ALL);
  const { exported } = outcome;
  assert.equal(exported.namespace, 'e2e-rights');
  assert.equal(exported.consentHistory.length, 1);
  assert.equal(exported.activeProfile, 'default');
  assert.ok(exported.profiles.profiles.default, 'the stored form of the profile');
  assert.ok(exported.events.some((e) => e.type === 'custom' && e.name === 'newsletter_signup'));
  assert.ok(exported.events.some((e) => e.type === 'click'));
  assert.equal(exported.decisions.length, 1);
  assert.ok(outcome.storedEvents >= 3, `events were written before the export (${outcome.storedEvents})`);
  assert.equal(outcome.storedDecisions, 1);
  assert.equal(JSON.stringify(exported).includes('"iv"'), false, 'the export is readable, not ciphertext');
  const erased = outcome.afterErase;
  assert.equal(erased.profile.counts.all.clicks, 0);
  assert.deepEqual(erased.export.events, []);
  assert.deepEqual(erased.export.decisions, []);
  assert.equal(erased.events, 0);
  assert.equal(erased.household, undefined);
  assert.equal(erased.consent, 1, 'the consent record is kept');
  assert.deepEqual(problems, []);
  await close();
});

test('two tabs each recording 1,000 clicks end with 2,000, and each sees the other', async () => {
  const first = await openPage();
  const second = await first.page.context().newPage();
  await second.goto(first.page.url());
  await second.evaluate(installHelpers);
  const start = async (all) => {
    window.tab = await window.Hearth.init({ namespace: 'e2e-two-tabs' });
    await window.tab.consent.set(all);
  };
  await first.page.evaluate(start, ALL);
  await second.evaluate(start, ALL);
  const clickAll = async () => {
    for (let i = 0; i < 1000; i += 1) {
      window.clickItem('a1');
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
    }
  };
  await Promise.all([first.page.evaluate(clickAll), second.evaluate(clickAll)]);
  await first.page.evaluate(() => window.flushNow('e2e-two-tabs'));
  await second.evaluate(() => window.flushNow('e2e-two-tabs'));
  // The first tab takes in the second's write from the broadcast.
  await first.page.waitForFunction(
    async () => (await window.tab.profile.get()).counts.all.clicks === 2000,
    null,
    { timeout: 10_000, polling: 100 },
  );
  const stored = await first.page.evaluate(async () => {
    await window.tab.destroy();
    const fresh = await window.Hearth.init({ namespace: 'e2e-two-tabs' });
    return (await fresh.profile.get()).counts.all.clicks;
  });
  assert.equal(stored, 2000);
  assert.deepEqual(first.problems, []);
  await first.close();
});

test('an active visitor costs at most one write transaction every 2 seconds', async () => {
  const { page, problems, close } = await openPage();
  const writes = await page.evaluate(async (all) => {
    const hearth = await window.Hearth.init({ namespace: 'e2e-batching' });
    await hearth.consent.set(all);
    await new Promise((r) => setTimeout(r, 300)); // opened, loaded and swept
    let count = 0;
    const transaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function counted(stores, mode, ...rest) {
      if (mode === 'readwrite') count += 1;
      return transaction.call(this, stores, mode, ...rest);
    };
    const started = performance.now();
    while (performance.now() - started < 6000) {
      window.clickItem('a1');
      hearth.rank({ slot: 'feed', candidates: [{ id: 'a1' }, { id: 'a2' }] });
      await new Promise((r) => setTimeout(r, 50));
    }
    IDBDatabase.prototype.transaction = transaction;
    return count;
  }, ALL);
  assert.ok(writes >= 2 && writes <= 4, `${writes} write transactions in 6 s of clicking every 50 ms`);
  assert.deepEqual(problems, []);
  await close();
});

test('segments: a site rule emits a segment event when the visitor enters it', async () => {
  const { page, problems, close } = await openPage();
  const outcome = await page.evaluate(async (all) => {
    const hearth = await window.Hearth.init({
      namespace: 'e2e-segments',
      segments: { rules: [{ name: 'keen', all: [{ metric: 'clicks', window: '1d', op: 'gte', value: 3 }] }] },
    });
    const heard = [];
    hearth.on('segment', (segments) => heard.push(segments));
    await hearth.consent.set(all);
    window.clickItem('a1', 2);
    const before = hearth.segments();
    window.clickItem('a1', 1);
    return { before, after: hearth.segments(), heard };
  }, ALL);
  assert.ok(!outcome.before.includes('keen'));
  assert.ok(outcome.after.includes('keen'));
  assert.ok(outcome.heard.at(-1).includes('keen'));
  const invalid = await page.evaluate(() =>
    window.Hearth.init({ segments: { rules: [{ name: 'bad', all: [{ metric: 'nope', op: 'gt', value: 1 }] }] } })
      .then(() => null, (e) => [e.code, e.message]));
  assert.equal(invalid[0], 'invalid_rules');
  assert.match(invalid[1], /'bad'/);
  assert.deepEqual(problems, []);
  await close();
});

test('several profiles on one device: use, list, remove, and each keeps its own clicks', async () => {
  const { page, problems, close } = await openPage();
  const outcome = await page.evaluate(async (all) => {
    const hearth = await window.Hearth.init({ namespace: 'e2e-household' });
    await hearth.consent.set(all);
    window.clickItem('a1', 2);
    const created = await hearth.profile.use('kid');
    window.clickItem('a2', 1);
    const list = await hearth.profile.list();
    const kid = (await hearth.profile.get()).counts.all.clicks;
    await hearth.profile.use('default');
    const adult = (await hearth.profile.get()).counts.all.clicks;
    const removed = await hearth.profile.remove('kid');
    const bad = await hearth.profile.use('no spaces').then(() => null, (e) => e.code);
    return { created, list, kid, adult, removed, after: await hearth.profile.list(), bad };
  }, ALL);
  assert.deepEqual(outcome, {
    created: true, list: ['default', 'kid'], kid: 1, adult: 2, removed: true, after: ['default'], bad: 'invalid_profile',
  });
  assert.deepEqual(problems, []);
  await close();
});

test('without IndexedDB Hearth works in memory and says so', async () => {
  const { page, problems, close } = await openPage();
  const outcome = await page.evaluate(async (all) => {
    Object.defineProperty(window, 'indexedDB', { configurable: true, get: () => { throw new DOMException('denied', 'SecurityError'); } });
    const hearth = await window.Hearth.init({ namespace: 'e2e-no-idb' });
    const errors = [];
    hearth.on('error', (e) => errors.push(e.code));
    await hearth.consent.set(all);
    await new Promise((r) => setTimeout(r, 50));
    window.clickItem('a1', 2);
    const ranked = hearth.rank({ candidates: [{ id: 'x' }, { id: 'y' }] }).items.length;
    const profile = await hearth.profile.get();
    return { errors, ranked, clicks: profile.counts.all.clicks, storedIn: profile.storedIn };
  }, ALL);
  assert.deepEqual(outcome, { errors: ['storage_unavailable'], ranked: 2, clicks: 2, storedIn: 'memory' });
  assert.deepEqual(problems, []);
  await close();
});

test('a corrupted record is reset with an error; the other records are kept', async () => {
  const { page, problems, close } = await openPage();
  await page.evaluate(async (all) => {
    const hearth = await window.Hearth.init({ namespace: 'e2e-corrupt' });
    await hearth.consent.set(all);
    window.clickItem('a1', 2);
    const result = hearth.rank({ slot: 'feed', candidates: [{ id: 'a1' }, { id: 'a2' }] });
    hearth.reward(result.decisionId, 'a1', 1);
    await window.flushNow('e2e-corrupt');
    hearth.destroy();
    const envelope = await window.idb.read('hearth:e2e-corrupt', 'profiles', 'household');
    const data = new Uint8Array(envelope.data.slice(0));
    data[0] ^= 0xff;
    await window.idb.put('hearth:e2e-corrupt', 'profiles', 'household', { iv: envelope.iv, data: data.buffer });
  }, ALL);
  await page.reload();
  await page.evaluate(installHelpers);
  const outcome = await page.evaluate(async () => {
    const errors = [];
    const hearth = await window.Hearth.init({ namespace: 'e2e-corrupt' });
    hearth.on('error', (e) => errors.push([e.code, e.message]));
    await new Promise((r) => setTimeout(r, 50));
    const exported = await hearth.profile.export();
    return { errors, clicks: (await hearth.profile.get()).counts.all.clicks, rewards: exported.model.rewardsLearned, decisions: exported.decisions.length };
  });
  assert.equal(outcome.errors.length, 1, JSON.stringify(outcome.errors));
  assert.equal(outcome.errors[0][0], 'corrupt_data');
  assert.match(outcome.errors[0][1], /profiles\/household/);
  assert.equal(outcome.clicks, 0, 'the corrupted profile was reset');
  assert.ok(outcome.rewards >= 1, 'the model was kept');
  assert.equal(outcome.decisions, 1, 'the decisions were kept');
  assert.deepEqual(problems, []);
  await close();
});

test('when the quota is exceeded the oldest decisions go first; the profile is kept', async () => {
  const { page, problems, close } = await openPage();
  const outcome = await page.evaluate(async (all) => {
    const hearth = await window.Hearth.init({ namespace: 'e2e-quota' });
    const errors = [];
    hearth.on('error', (e) => errors.push([e.code, e.message]));
    await hearth.consent.set(all);
    for (let i = 0; i < 8; i += 1) hearth.rank({ slot: 'feed', candidates: [{ id: 'a1' }, { id: 'a2' }] });
    await window.flushNow('e2e-quota');
    // From now on the disk is "full" while more than 2 decisions are stored.
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function patched(value, key) {
      if (this.name === 'profiles') {
        window.quotaHit = (window.quotaHit ?? 0) + 1;
        if (window.quotaHit === 1) throw new DOMException('full', 'QuotaExceededError');
      }
      return put.call(this, value, key);
    };
    window.clickItem('a1', 3);
    hearth.rank({ slot: 'feed', candidates: [{ id: 'a1' }, { id: 'a2' }] });
    await window.flushNow('e2e-quota');
    IDBObjectStore.prototype.put = put;
    const decisions = (await window.idb.all('hearth:e2e-quota', 'decisions')).map(([key]) => key);
    return { errors, decisions, clicks: (await hearth.profile.get()).counts.all.clicks };
  }, ALL);
  assert.equal(outcome.errors[0][0], 'storage_unavailable');
  assert.match(outcome.errors[0][1], /quota/);
  assert.ok(outcome.decisions.length < 9, `old decisions were dropped (${outcome.decisions.length} left)`);
  assert.equal(outcome.clicks, 3);
  assert.deepEqual(problems, []);
  await close();
});

test('a schema-1 database migrates, and an upgrade blocked by another tab loses nothing', async () => {
  const { page, problems, close } = await openPage();
  const outcome = await page.evaluate(async (all) => {
    // The previous schema, from a fixture: one `state` store with plain JSON text.
    const household = {
      version: 1,
      active: 'default',
      profiles: { default: (await (await fetch('/fixtures/profile-v1.json')).json()) },
    };
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('hearth:e2e-migrate', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('state');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise((resolve) => {
      const tx = db.transaction('state', 'readwrite');
      tx.objectStore('state').put(JSON.stringify(household), 'household');
      tx.oncomplete = resolve;
    });
    // This connection stays open and ignores `versionchange`: the upgrade is blocked.
    const errors = [];
    // The fixture is from 2025: a long retention keeps it.
    const hearth = await window.Hearth.init({ namespace: 'e2e-migrate', retentionDays: 3650 });
    hearth.on('error', (e) => errors.push(e.code));
    await hearth.consent.set(all);
    window.clickItem('a1', 1);
    const whileBlocked = (await hearth.profile.get()).counts.all.clicks;
    db.close();
    const deadline = Date.now() + 5000;
    let clicks = whileBlocked;
    while (clicks !== whileBlocked + 4 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      clicks = (await hearth.profile.get()).counts.all.clicks;
    }
    await window.flushNow('e2e-migrate');
    return { whileBlocked, clicks, errors, stores: (await window.idb.stores('hearth:e2e-migrate')).sort() };
  }, ALL);
  assert.equal(outcome.whileBlocked, 1, 'works in memory while blocked');
  assert.equal(outcome.clicks, 5, 'the 4 migrated clicks plus the one made while blocked');
  assert.deepEqual(outcome.stores, ['consent', 'decisions', 'events', 'meta', 'model', 'profiles']);
  assert.deepEqual(outcome.errors, []);
  assert.deepEqual(problems, []);
  await close();
});

test('retention removes decisions and events older than retentionDays at start', async () => {
  const { page, problems, close } = await openPage();
  const outcome = await page.evaluate(async (all) => {
    const first = await window.Hearth.init({ namespace: 'e2e-retention', encryption: false });
    await first.consent.set(all);
    window.clickItem('a1', 1);
    await window.flushNow('e2e-retention');
    first.destroy();
    const old = String(Date.now() - 3 * 86_400_000).padStart(16, '0');
    await window.idb.put('hearth:e2e-retention', 'events', `${old}:old:000001`, { text: '{"type":"custom","name":"old"}' });
    await window.idb.put('hearth:e2e-retention', 'meta', 'swept', 0);
    const second = await window.Hearth.init({ namespace: 'e2e-retention', retentionDays: 2, encryption: false });
    const deadline = Date.now() + 3000;
    let keys = [];
    do {
      await new Promise((r) => setTimeout(r, 50));
      keys = (await window.idb.all('hearth:e2e-retention', 'events')).map(([key]) => key);
    } while (keys.some((k) => k.includes(':old:')) && Date.now() < deadline);
    return { keys, clicks: (await second.profile.get()).counts.all.clicks };
  }, ALL);
  assert.ok(outcome.keys.length >= 1, 'recent events are kept');
  assert.ok(!outcome.keys.some((k) => k.includes(':old:')), outcome.keys.join());
  assert.equal(outcome.clicks, 1);
  assert.deepEqual(problems, []);
  await close();
});
