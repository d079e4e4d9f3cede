// Compiled with `tsc --strict --noEmit` against the built package: the public types are
// precise (no `any`) and reject misuse.
import { Hearth, isHearthError } from 'hearth-sdk';
import type { ConsentRecordEntry, ConsentState, HearthErrorCode, ModelSnapshot, ProfileExport, ProfileView, RankResult, TcString } from 'hearth-sdk';

async function main(): Promise<void> {
  const hearth: Hearth = await Hearth.init({
    namespace: 'news',
    storage: 'memory',
    consent: { honorGpc: true, readTcf: true, policyVersion: '2026-11' },
    capture: { clicks: true, scroll: true, impressions: true, pageviews: true },
    ranker: { policy: 'linucb', alpha: 1.0, seed: 7 },
    retentionDays: 180,
  });
  const state: ConsentState = hearth.consent.get();
  const allowed: boolean = state.purposes.personalization;
  const gdpr: boolean | undefined = state.tcf?.gdprApplies;
  const updated: ConsentState = await hearth.consent.set({ measurement: true }, { source: 'site' });
  const withdrawn: ConsentState = await hearth.consent.withdraw();
  const entries: ConsentRecordEntry[] = hearth.consent.history();
  const decoded: TcString = await Hearth.decodeTcString('CPvGygmQF8KbaACZfcENABCgAIAAAAAAAAwIAAAA8bff9_f2_f_gBjgC8AAgADAALAAcACAAFQAMAA0AB8AEQASAAoABYADMAGwAcAA9ACAAIQARgAlABRACoAKwAWwAvADAAGQANAAbgA5CgAgAUAAqEgCwABAAEAAYACAAGgAkAB0AD-ALYAjIBUAA');
  const publisherPurposes: number[] | undefined = decoded.publisherTc?.purposeConsents;
  console.log(gdpr, updated.source, withdrawn.updatedAt, entries.length, publisherPurposes);
  // @ts-expect-error purposes are storage, measurement and personalization
  await hearth.consent.set({ ads: true });
  // @ts-expect-error a CMP is the only source of tcf decisions
  await hearth.consent.set({ storage: true }, { source: 'tcf' });

  const result: RankResult = hearth.rank({
    slot: 'home-feed',
    candidates: [{ id: 'a1', tags: ['sports'], features: { recency: 0.9 }, score: 0.3 }],
    context: { page: 'home', depth: 2, app: false },
    limit: 10,
  });
  const first: string | undefined = result.items[0]?.id;
  const reason: 'consent_required' | 'cold_start' | null = result.reason;
  const off: () => void = hearth.on('decision', (decision) => console.log(decision.decisionId, allowed, first, reason));
  off();

  try {
    hearth.rank({ candidates: [] });
  } catch (error) {
    if (isHearthError(error)) {
      const code: HearthErrorCode = error.code;
      const index: number | undefined = error.index;
      console.log(code, index);
    }
  }

  const snapshot: ModelSnapshot = hearth.model.export();
  hearth.model.import(snapshot);
  const learned: boolean = hearth.reward(result.decisionId, 'a1', 1);
  console.log(learned);

  const view: ProfileView | null = await hearth.profile.get();
  const clicksThisWeek: number | undefined = view?.counts['7d'].clicks;
  const everything: ProfileExport = await hearth.profile.export();
  const created: boolean = await hearth.profile.use('kid');
  const names: string[] = await hearth.profile.list();
  const removed: boolean = await hearth.profile.remove('kid');
  await hearth.profile.erase();
  const segments: string[] = hearth.segments();
  const offSegment = hearth.on('segment', (now) => console.log(now.join(), clicksThisWeek, everything.decisions.length, created, names, removed, segments));
  offSegment();
  await Hearth.init({
    encryption: false,
    profile: { halfLifeDays: 7, weights: { click: 2 } },
    segments: {
      rules: [{ name: 'fan', all: [{ metric: 'affinity:sports', op: 'gte', value: 2 }] }],
      centroids: [{ name: 'readers', features: { clicks7d: 3 } }],
    },
  });
  // @ts-expect-error rule operators are gt, gte, lt, lte or eq
  await Hearth.init({ segments: { rules: [{ name: 'x', all: [{ metric: 'clicks', op: '>=', value: 1 }] }] } });

  // @ts-expect-error unknown option keys are type errors too
  await Hearth.init({ namespce: 'x' });
  // @ts-expect-error storage is 'indexeddb' or 'memory'
  await Hearth.init({ storage: 'disk' });
  // @ts-expect-error candidates need an id
  hearth.rank({ candidates: [{ tags: ['x'] }] });
  // @ts-expect-error feature values are numbers
  hearth.rank({ candidates: [{ id: 'a', features: { f: 'high' } }] });
  // @ts-expect-error unknown event types are rejected
  hearth.on('click', () => {});
  // @ts-expect-error the constructor is private: use Hearth.init
  new Hearth();
  hearth.destroy();
}

void main();
