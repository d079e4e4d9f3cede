#!/usr/bin/env node
// Generates tests/fixtures/tcf/vectors.json and invalid.json.
//
// vectors.json: TC strings made by the IAB
// reference encoder (@iabtechlabtcf/core, a root devDependency) with the
// fields the reference decoder reads back, in the JSON shape of
// `hearth::consent::tcf::TcString`'s Serialize output.
//
// Deterministic: a seeded PRNG drives every choice and all dates are fixed,
// so re-running produces a byte-identical file. No network: the Global
// Vendor List is synthetic and built below.
//
// invalid.json: hand-made and mutated bad strings, each with the error
// kinds (`TcfError::kind()`) a decoder must report for it:
//   {tcString, repeat?, errors: [kind, ...], position?, note}
// `repeat` (when present) means the input is tcString repeated that many
// times; `position` is the byte offset an invalid_base64 error must name.
// Truncations list both "truncated" and "too_many_entries" when the cut
// falls where a range/restriction count is checked against the bits left.
//
// Usage (from the repo root, after `npm install`):
//   node scripts/tcf-vectors.mjs            # writes tests/fixtures/tcf/{vectors,invalid}.json
//   node scripts/tcf-vectors.mjs --out DIR  # writes DIR/{vectors,invalid}.json instead
//
// Field mapping (reference model -> fixture JSON):
//   created / lastUpdated (Date)         -> createdDs / lastUpdatedDs (deciseconds)
//   policyVersion                        -> tcfPolicyVersion
//   specialFeatureOptins                 -> specialFeatureOptIns (sorted ids)
//   purposeLegitimateInterests           -> purposeLiTransparency
//   publisherCountryCode                 -> publisherCc
//   publisherRestrictions                -> publisherRestrictions: [{purposeId,
//        restrictionType: notAllowed|requireConsent|requireLegitimateInterest,
//        vendors: [ids]}] in encoding order (restrictions whose vendors were
//        all filtered out by the encoder are still encoded, with no entries)
//   publisherConsents / publisherLegitimateInterests
//                                        -> publisherTc.purposeConsents / purposeLiTransparency
//   numCustomPurposes, publisherCustomConsents / publisherCustomLegitimateInterests
//                                        -> publisherTc.numCustomPurposes,
//                                           customPurposeConsents / customPurposeLiTransparency
//   vendorsDisclosed / vendorsAllowed    -> disclosedVendors / allowedVendors
// Every vendor set is a sorted array of ids; a segment not emitted is null.
// The encoder writes MaxVendorId = the highest id in each set (0 if empty).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GVL,
  PurposeRestriction,
  PurposeRestrictionVectorEncoder,
  Segment,
  SemanticPreEncoder,
  TCModel,
  TCString,
  VendorVectorEncoder,
} from '@iabtechlabtcf/core';

const SEED = 0x7cf2_2024;
const COUNT = 300;

// ---------------------------------------------------------------- PRNG
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const bool = (p = 0.5) => rand() < p;
const pick = (arr) => arr[int(0, arr.length - 1)];
const subset = (ids, p) => ids.filter(() => bool(p));

// ---------------------------------------------------------------- GVL
// Dense ids 1..60, then sparse ids so that range encoding gets chosen, and
// one larger id. (Ids up to 65535 are exercised through the disclosed and
// allowed vendor segments, which the encoder does not filter by GVL.)
const VENDOR_IDS = [];
for (let id = 1; id <= 60; id++) VENDOR_IDS.push(id);
for (let id = 67; id <= 800; id += 11) VENDOR_IDS.push(id);
VENDOR_IDS.push(799, 800, 1000);
VENDOR_IDS.sort((a, b) => a - b);
const UNIQUE_VENDOR_IDS = [...new Set(VENDOR_IDS)];

function vendorDecl(id) {
  const purposes = [];
  const legIntPurposes = [];
  for (let p = 1; p <= 11; p++) {
    const k = (id * 7 + p * 3) % 5;
    if (p === 1 || k <= 1) purposes.push(p);
    else if (k === 2 && ![3, 4, 5, 6].includes(p)) legIntPurposes.push(p);
  }
  const flexiblePurposes = id % 2 === 0
    ? [...purposes, ...legIntPurposes].filter((p) => p !== 1).sort((a, b) => a - b)
    : [];
  return {
    id,
    name: `Synthetic vendor ${id}`,
    purposes,
    legIntPurposes,
    flexiblePurposes,
    specialPurposes: id % 3 === 0 ? [1] : [],
    features: id % 4 === 0 ? [1, 2] : [],
    specialFeatures: id % 5 === 0 ? [1] : [],
    policyUrl: `https://vendor${id}.example/privacy`,
    cookieMaxAgeSeconds: 86400,
    usesCookies: true,
    cookieRefresh: false,
    usesNonCookieAccess: false,
  };
}

function named(count, prefix) {
  const out = {};
  for (let id = 1; id <= count; id++) {
    out[id] = { id, name: `${prefix} ${id}`, description: `${prefix} ${id}`, illustrations: [] };
  }
  return out;
}

function makeGvl(vendorListVersion, tcfPolicyVersion, language) {
  const vendors = {};
  for (const id of UNIQUE_VENDOR_IDS) vendors[id] = vendorDecl(id);
  const json = {
    gvlSpecificationVersion: 3,
    vendorListVersion,
    tcfPolicyVersion,
    lastUpdated: '2024-01-01T00:00:00Z',
    purposes: named(11, 'Purpose'),
    specialPurposes: named(3, 'Special purpose'),
    features: named(3, 'Feature'),
    specialFeatures: named(2, 'Special feature'),
    stacks: {},
    dataCategories: {},
    vendors,
  };
  return new GVL(json, { language });
}

const GVLS = [
  makeGvl(1, 2, 'en'),
  makeGvl(48, 4, 'fr'),
  makeGvl(150, 5, 'de'),
  makeGvl(4095, 5, 'pl'),
  makeGvl(321, 63, 'sv'),
];

// ---------------------------------------------------------------- helpers
const ids = (vector) => {
  const out = [];
  for (const [id, has] of vector) if (has) out.push(id);
  return out;
};
const RESTRICTION_NAMES = ['notAllowed', 'requireConsent', 'requireLegitimateInterest'];
const COUNTRIES = ['AA', 'DE', 'FR', 'GB', 'US', 'ZZ', 'AQ', 'IT'];
const MAX_DS = 2 ** 36 - 1;

function vendorPattern(kind) {
  switch (kind) {
    case 'none': return [];
    case 'one': return [pick(UNIQUE_VENDOR_IDS)];
    case 'first': return [1];
    case 'dense': return subset(UNIQUE_VENDOR_IDS.filter((id) => id <= 60), 0.85);
    case 'sparse': return subset(UNIQUE_VENDOR_IDS.filter((id) => id > 60 && id <= 800), 0.3);
    case 'allGvl': return [...UNIQUE_VENDOR_IDS];
    case 'large': return [pick([800, 1000])];
    case 'contiguous': {
      const start = int(1, 40);
      return UNIQUE_VENDOR_IDS.filter((id) => id >= start && id <= start + int(0, 20));
    }
    default: return subset(UNIQUE_VENDOR_IDS, rand());
  }
}
const VENDOR_KINDS = ['none', 'one', 'first', 'dense', 'sparse', 'allGvl', 'large', 'contiguous', 'random', 'random'];

function anyIds(kind) {
  // Disclosed / allowed vendors are not filtered by the encoder, so any id goes.
  switch (kind) {
    case 'none': return [];
    case 'max': return [65535];
    case 'dense': return subset([...Array(120).keys()].map((i) => i + 1), 0.7);
    case 'sparse': return [...new Set([int(1, 9), int(100, 900), int(1000, 30000), int(30001, 65535)])];
    default: return vendorPattern(pick(VENDOR_KINDS));
  }
}
const ANY_KINDS = ['none', 'max', 'dense', 'sparse', 'gvl', 'gvl'];

const SEGMENT_LAYOUTS = [
  [Segment.CORE],
  [Segment.CORE, Segment.VENDORS_DISCLOSED],
  [Segment.CORE, Segment.PUBLISHER_TC],
  [Segment.CORE, Segment.VENDORS_DISCLOSED, Segment.PUBLISHER_TC],
  [Segment.CORE, Segment.VENDORS_DISCLOSED, Segment.VENDORS_ALLOWED, Segment.PUBLISHER_TC],
  [Segment.CORE, Segment.PUBLISHER_TC, Segment.VENDORS_DISCLOSED],
  [Segment.CORE, Segment.VENDORS_ALLOWED],
];

// ---------------------------------------------------------------- cases
function buildCase(i) {
  const gvl = GVLS[i % GVLS.length];
  const m = new TCModel(gvl);
  m.cmpId = i === 0 ? 2 : i === 1 ? 4095 : int(2, 4095);
  m.cmpVersion = i === 1 ? 4095 : int(0, 4095);
  m.consentScreen = i === 1 ? 63 : int(0, 63);
  m.publisherCountryCode = pick(COUNTRIES);
  m.isServiceSpecific = bool();
  m.useNonStandardTexts = bool(0.2);
  m.purposeOneTreatment = bool(0.2);

  let created;
  let updated;
  if (i === 2) { created = 0; updated = 0; }
  else if (i === 3) { created = MAX_DS; updated = MAX_DS; }
  else {
    created = int(15_800_000_000, 18_000_000_000);
    updated = created + int(0, 400_000_000);
  }
  m.created = new Date(created * 100);
  m.lastUpdated = new Date(updated * 100);

  // Purposes: one at a time, all, none, then random patterns.
  if (i < 24) m.purposeConsents.set(i + 1);
  else if (i === 24) m.purposeConsents.set([...Array(24).keys()].map((k) => k + 1));
  else if (i !== 25) m.purposeConsents.set(subset([...Array(24).keys()].map((k) => k + 1), rand()));
  if (i >= 26 && i < 50) m.purposeLegitimateInterests.set(i - 25);
  else if (i === 50) m.purposeLegitimateInterests.set([...Array(24).keys()].map((k) => k + 1));
  else if (i > 50) m.purposeLegitimateInterests.set(subset([...Array(24).keys()].map((k) => k + 1), rand()));
  if (i >= 51 && i < 63) m.specialFeatureOptins.set(i - 50);
  else if (i === 63) m.specialFeatureOptins.set([...Array(12).keys()].map((k) => k + 1));
  else if (i > 63) m.specialFeatureOptins.set(subset([...Array(12).keys()].map((k) => k + 1), rand()));

  const consentKind = i < 80 ? VENDOR_KINDS[i % VENDOR_KINDS.length] : pick(VENDOR_KINDS);
  m.vendorConsents.set(vendorPattern(consentKind));
  m.vendorLegitimateInterests.set(vendorPattern(pick(VENDOR_KINDS)));

  // Publisher restrictions: none for a third of the cases, else 1-4 of
  // random purposes and types (and every type in cases 100-102).
  const nRestrictions = i >= 100 && i <= 102 ? 2 : bool(0.35) ? 0 : int(1, 4);
  for (let r = 0; r < nRestrictions; r++) {
    const type = i >= 100 && i <= 102 ? i - 100 : int(0, 2);
    const purposeId = int(1, 11);
    const pr = new PurposeRestriction(purposeId, type);
    for (const v of vendorPattern(pick(['one', 'dense', 'sparse', 'contiguous', 'random', 'allGvl']))) {
      m.publisherRestrictions.add(v, pr);
    }
  }

  // Segments.
  const layout = i < 2 * SEGMENT_LAYOUTS.length
    ? SEGMENT_LAYOUTS[i % SEGMENT_LAYOUTS.length]
    : pick(SEGMENT_LAYOUTS);
  m.vendorsDisclosed.set(anyIds(pick(ANY_KINDS)));
  m.vendorsAllowed.set(anyIds(pick(ANY_KINDS)));
  m.publisherConsents.set(subset([...Array(24).keys()].map((k) => k + 1), rand()));
  m.publisherLegitimateInterests.set(subset([...Array(24).keys()].map((k) => k + 1), rand()));
  const numCustom = i % 17 === 0 ? 63 : i % 5 === 0 ? 0 : int(1, 12);
  m.numCustomPurposes = numCustom;
  const customIds = [...Array(numCustom).keys()].map((k) => k + 1);
  m.publisherCustomConsents.set(subset(customIds, rand()));
  m.publisherCustomLegitimateInterests.set(subset(customIds, rand()));

  const tcString = TCString.encode(m, { segments: layout });
  // Exact bit length of the core segment, before base64 padding: the fixed
  // 213-bit header plus the three variable sections as the encoder wrote them.
  const processed = SemanticPreEncoder.process(m);
  const coreBits = 213
    + VendorVectorEncoder.encode(processed.vendorConsents).length
    + VendorVectorEncoder.encode(processed.vendorLegitimateInterests).length
    + PurposeRestrictionVectorEncoder.encode(processed.publisherRestrictions).length;
  const coreChars = tcString.split('.')[0].length;
  if (Math.ceil(coreBits / 24) * 4 !== coreChars) {
    throw new Error(`case ${i}: computed ${coreBits} core bits but core has ${coreChars} chars`);
  }
  return { tcString, expected: expectedFor(tcString, m, layout), coreBits, layout };
}

function expectedFor(tcString, model, layout) {
  const d = TCString.decode(tcString);
  const has = (segment) => layout.includes(segment);
  // Encoding order and presence come from the encoded model (the encoder
  // writes a restriction even when it has no vendors left); the vendor ids
  // come from the reference decoder, since encoded ranges may span ids that
  // are not in the GVL.
  const publisherRestrictions = model.publisherRestrictions.getRestrictions().map((pr) => ({
    purposeId: pr.purposeId,
    restrictionType: RESTRICTION_NAMES[pr.restrictionType],
    vendors: d.publisherRestrictions.getVendors(pr).slice().sort((a, b) => a - b),
  }));
  return {
    core: {
      version: d.version,
      createdDs: Math.round(d.created.getTime() / 100),
      lastUpdatedDs: Math.round(d.lastUpdated.getTime() / 100),
      cmpId: d.cmpId,
      cmpVersion: d.cmpVersion,
      consentScreen: d.consentScreen,
      consentLanguage: d.consentLanguage,
      vendorListVersion: d.vendorListVersion,
      tcfPolicyVersion: d.policyVersion,
      isServiceSpecific: d.isServiceSpecific,
      useNonStandardTexts: d.useNonStandardTexts,
      specialFeatureOptIns: ids(d.specialFeatureOptins),
      purposeConsents: ids(d.purposeConsents),
      purposeLiTransparency: ids(d.purposeLegitimateInterests),
      purposeOneTreatment: d.purposeOneTreatment,
      publisherCc: d.publisherCountryCode,
      vendorConsents: ids(d.vendorConsents),
      vendorLegitimateInterests: ids(d.vendorLegitimateInterests),
      publisherRestrictions,
    },
    publisherTc: has(Segment.PUBLISHER_TC)
      ? {
        purposeConsents: ids(d.publisherConsents),
        purposeLiTransparency: ids(d.publisherLegitimateInterests),
        numCustomPurposes: d.numCustomPurposes,
        customPurposeConsents: ids(d.publisherCustomConsents),
        customPurposeLiTransparency: ids(d.publisherCustomLegitimateInterests),
      }
      : null,
    disclosedVendors: has(Segment.VENDORS_DISCLOSED) ? ids(d.vendorsDisclosed) : null,
    allowedVendors: has(Segment.VENDORS_ALLOWED) ? ids(d.vendorsAllowed) : null,
  };
}

// ---------------------------------------------------------------- invalid
const DICT = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Builds bit strings field by field and encodes them as base64url. */
class Bits {
  constructor() { this.s = ''; }
  put(value, width) {
    this.s += value.toString(2).padStart(width, '0').slice(-width);
    return this;
  }
  encode() {
    const padded = this.s + '0'.repeat((6 - (this.s.length % 6)) % 6);
    let out = '';
    for (let i = 0; i < padded.length; i += 6) out += DICT[parseInt(padded.slice(i, i + 6), 2)];
    return out;
  }
}

/** A 213-bit core header; `lang` / `cc` are pairs of 6-bit letter values. */
function header({ version = 2, lang = [4, 13], cc = [3, 4] } = {}) {
  return new Bits()
    .put(version, 6).put(16_000_000_000, 36).put(16_000_000_000, 36)
    .put(10, 12).put(1, 12).put(0, 6)
    .put(lang[0], 6).put(lang[1], 6)
    .put(100, 12).put(4, 6).put(0, 1).put(0, 1)
    .put(0, 12).put(0xffffff, 24).put(0, 24).put(0, 1)
    .put(cc[0], 6).put(cc[1], 6);
}
const emptyVendors = (b) => b.put(0, 16).put(0, 1);

function buildInvalid(cases) {
  const out = [];
  const add = (tcString, errors, note, extra = {}) =>
    out.push({ tcString, errors: [].concat(errors), ...extra, note });
  const valid = cases.map((c) => c.tcString);
  const TRUNC = ['truncated', 'too_many_entries'];

  add('', 'empty', 'empty string');
  add('A', 'too_long', 'longer than the 64 KiB cap', { repeat: 65537 });
  add('C', 'too_long', 'longer than the cap even though it starts like a core segment', { repeat: 70000 });
  add('BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA', 'unsupported_version', 'a TCF v1.1 string');
  add('BObdrPUOevsguAfDqFENCNAAAAAmeAAA.PVAfDObdrA.DqFENCAmeAENCDA', 'unsupported_version', 'v1-style string with extra segments');
  add(' ' + valid[0], 'invalid_base64', 'leading space', { position: 0 });
  add(valid[1] + '\n', 'invalid_base64', 'trailing newline', { position: valid[1].length });
  add(valid[2] + '==', 'invalid_base64', 'base64 padding', { position: valid[2].length });

  // Bad base64 characters at deterministic positions in valid strings.
  const badChars = ['+', '/', '=', '!', '*', '~', ' ', 'é', '%'];
  for (let k = 0; k < 27; k++) {
    const s = valid[(k * 7) % valid.length];
    let pos = int(0, s.length - 1);
    while (s[pos] === '.') pos = int(0, s.length - 1);
    const ch = badChars[k % badChars.length];
    add(s.slice(0, pos) + ch + s.slice(pos + 1), 'invalid_base64', `'${ch}' replacing byte ${pos}`, { position: pos });
  }

  // Version field mutated: first character holds the 6 version bits.
  for (const [ch, v] of [['A', 0], ['B', 1], ['D', 3], ['E', 4], ['_', 63]]) {
    for (const k of [3, 40, 77]) {
      add(ch + valid[k].slice(1), 'unsupported_version', `version ${v} in an otherwise valid string`);
    }
  }

  // Truncated core segments, at many lengths short of the encoded bits.
  const coreOnly = cases.filter((c) => c.layout.length === 1);
  for (const c of coreOnly.slice(0, 12)) {
    const maxChars = Math.ceil(c.coreBits / 6) - 1;
    const step = Math.max(1, Math.floor(maxChars / 14));
    for (let k = 1; k <= maxChars; k += step) {
      add(c.tcString.slice(0, k), k * 6 < 213 + 17 ? 'truncated' : TRUNC, `core cut to ${k} of ${c.coreBits} bits/6`);
    }
    add(c.tcString.slice(0, maxChars), TRUNC, 'core cut one character short');
  }
  // Truncated publisher TC segments (3 + 24 + 24 + 6 + 2 x numCustomPurposes bits).
  for (const c of cases.filter((x) => x.layout.join() === 'core,publisherTC').slice(0, 8)) {
    const [core, pub] = c.tcString.split('.');
    const bits = 57 + 2 * c.expected.publisherTc.numCustomPurposes;
    for (let k = 1; k * 6 < bits; k += 2) {
      add(`${core}.${pub.slice(0, k)}`, 'truncated', `publisher TC cut to ${k} characters`);
    }
  }

  // Hand-built hostile sections.
  add(header().put(65535, 16).put(1, 1).put(4095, 12).encode(), 'too_many_entries', 'vendorConsents claims 4095 range entries with no bits behind them');
  add(emptyVendors(header()).put(800, 16).put(1, 1).put(4095, 12).put(0, 40).encode(), 'too_many_entries', 'vendorLegitimateInterests claims 4095 entries');
  add(emptyVendors(emptyVendors(header())).put(4095, 12).encode(), 'too_many_entries', '4095 publisher restrictions with no bits');
  add(emptyVendors(emptyVendors(header())).put(1, 12).put(2, 6).put(0, 2).put(4095, 12).put(0, 30).encode(), 'too_many_entries', 'restriction claims 4095 range entries');
  add(header().put(65535, 16).put(0, 1).put(0, 200).encode(), 'truncated', 'bitfield of 65535 vendors with 200 bits present');
  const rangeEntry = (start, end, max, note) => add(
    header().put(max, 16).put(1, 1).put(1, 12).put(1, 1).put(start, 16).put(end, 16).put(0, 60).encode(),
    'invalid_range_entry', note);
  rangeEntry(9, 3, 10, 'range start > end');
  rangeEntry(0, 3, 10, 'range starts at vendor id 0');
  rangeEntry(5, 11, 10, 'range ends above maxVendorId');
  rangeEntry(65535, 65535, 65534, 'single-id range above maxVendorId');
  add(header().put(10, 16).put(1, 1).put(1, 12).put(0, 1).put(0, 16).put(0, 60).encode(), 'invalid_range_entry', 'single vendor id 0');
  add(emptyVendors(header()).put(10, 16).put(1, 1).put(2, 12).put(0, 1).put(4, 16).put(0, 1).put(11, 16).put(0, 60).encode(), 'invalid_range_entry', 'second LI entry above maxVendorId');
  add(emptyVendors(emptyVendors(header())).put(1, 12).put(2, 6).put(1, 2).put(1, 12).put(1, 1).put(20, 16).put(10, 16).encode(), 'invalid_range_entry', 'restriction range start > end');
  add(emptyVendors(emptyVendors(header())).put(1, 12).put(2, 6).put(1, 2).put(1, 12).put(0, 1).put(0, 16).encode(), 'invalid_range_entry', 'restriction vendor id 0');
  add(emptyVendors(emptyVendors(header())).put(1, 12).put(2, 6).put(3, 2).put(0, 12).encode(), 'invalid_publisher_restriction', 'restriction type 3');
  add(emptyVendors(emptyVendors(header())).put(1, 12).put(0, 6).put(0, 2).put(0, 12).encode(), 'invalid_publisher_restriction', 'restriction purpose 0');
  add(emptyVendors(emptyVendors(header({ lang: [26, 0] }))).put(0, 12).encode(), 'invalid_letter', 'consentLanguage letter 26');
  add(emptyVendors(emptyVendors(header({ cc: [0, 63] }))).put(0, 12).encode(), 'invalid_letter', 'publisherCC letter 63');
  add(emptyVendors(emptyVendors(header({ version: 1 }))).put(0, 12).encode(), 'unsupported_version', 'hand-built version 1 core');
  add(emptyVendors(emptyVendors(header({ version: 3 }))).put(0, 12).encode(), 'unsupported_version', 'hand-built version 3 core');

  // Segment structure.
  const core = valid[5].split('.')[0];
  const pub = new Bits().put(3, 3).put(0, 24).put(0, 24).put(0, 6).encode();
  const disclosed = new Bits().put(1, 3).put(2, 16).put(0, 1).put(3, 2).encode();
  for (const [ch, t] of [['g', 4], ['o', 5], ['w', 6], ['4', 7], ['_', 7]]) {
    add(`${core}.${ch}AAAAAAA`, 'unknown_segment_type', `segment type ${t}`);
  }
  add(`${core}.${core}`, 'unknown_segment_type', 'a second core segment (type 0)');
  add(`${pub}.${core}`, 'unsupported_version', 'publisher TC segment first');
  add(`${core}.${pub}.${pub}`, 'duplicate_segment', 'publisher TC twice');
  add(`${core}.${disclosed}.${pub}.${disclosed}`, 'duplicate_segment', 'disclosed vendors twice');
  add(`${core}.`, 'empty_segment', 'trailing dot');
  add(`.${core}`, 'empty_segment', 'leading dot');
  add(`${core}..${pub}`, 'empty_segment', 'two dots');
  add('.', 'empty_segment', 'a lone dot');
  add(`${core}.Y`, 'truncated', 'publisher TC of one character');
  add(`${core}.I`, 'truncated', 'disclosed vendors of one character');
  add(`${core}.${new Bits().put(1, 3).put(65535, 16).put(0, 1).put(0, 30).encode()}`, 'truncated', 'disclosed vendors bitfield cut');
  add(`${core}.${new Bits().put(2, 3).put(300, 16).put(1, 1).put(4095, 12).encode()}`, 'too_many_entries', 'allowed vendors claims 4095 entries');
  add(`${core}.${new Bits().put(3, 3).put(0, 48).put(63, 6).put(0, 60).encode()}`, 'truncated', '63 custom purposes with too few bits');
  return out;
}

// ---------------------------------------------------------------- main
function outDir() {
  const at = process.argv.indexOf('--out');
  if (at !== -1 && process.argv[at + 1]) return resolve(process.argv[at + 1]);
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'tests', 'fixtures', 'tcf');
}

const cases = [];
for (let i = 0; i < COUNT; i++) cases.push(buildCase(i));
const vectors = cases.map(({ tcString, expected }) => ({ tcString, expected }));
const invalid = buildInvalid(cases);
const dir = outDir();
mkdirSync(dir, { recursive: true });
// One entry per line: compact, yet diffs stay readable.
const lines = (items) => `[\n${items.map((v) => JSON.stringify(v)).join(',\n')}\n]\n`;
writeFileSync(join(dir, 'vectors.json'), lines(vectors));
writeFileSync(join(dir, 'invalid.json'), lines(invalid));
console.log(`wrote ${vectors.length} vectors and ${invalid.length} invalid strings to ${dir}`);
