//! A visitor simulator: simulated people read a news front page ranked by Hearth, and click
//! the way people do, so that learning can be judged by what a visitor would see.
//!
//! - **Catalogue**: a front page's stories, topics interleaved in the server's order, a server
//!   score falling with rank, a topic tag and a finer tag on each ([`Catalogue::front_page`]).
//! - **Visitors** ([`Kind`]): one stable favourite topic, two favourites, a favourite that
//!   changes midway, or clicks at random.
//! - **Click model**: position-biased cascade. The visitor reads down the list; position `k`
//!   (0-based) is examined with probability [`EXAMINATION`]`^k`, an examined story is clicked
//!   with the visitor's attraction to its topic, and the first click ends the round.
//! - **Feedback exactly as capture delivers it**: every shown story makes an impression, a
//!   click is an item click event (the engine turns it into reward 1 and skip-above zeros),
//!   and the next round comes after the no-click window, so shown stories that were not
//!   clicked have earned their 0 by then.
//! - **Baselines in the same run, on the same visitors and seeds**: the server's order, and
//!   counting (topics clicked most first, the server's order within), the ten lines any site
//!   could write.

use hearth_core::bandit::Params;
use hearth_core::event::{Event, Item};
use hearth_core::personalize::{Personalization, DEFAULT_NO_CLICK_WINDOW_MS};
use hearth_core::profile::config::ProfileConfig;
use hearth_core::profile::SegmentDefs;
use hearth_core::request::rules::Rules;
use hearth_core::request::{Candidate, RankRequest};
use hearth_core::time::Millis;
use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Stories shown per round (the demo's feed).
pub const SHOWN: usize = 8;
/// Rounds per visitor.
pub const ROUNDS: usize = 40;
/// The round at which a changing visitor's favourite changes.
pub const CHANGE_AT: usize = 20;
/// Probability that position `k` is examined is `EXAMINATION^k`.
pub const EXAMINATION: f64 = 0.85;
/// Attraction of a favourite topic, and of any other.
pub const LIKED: f64 = 0.5;
/// Attraction of a topic the visitor does not care for.
pub const OTHER: f64 = 0.04;
/// Attraction of every story for a visitor who clicks at random.
pub const RANDOM: f64 = 0.15;
/// The feed's slot name.
pub const SLOT: &str = "feed";
const ROUND_GAP_MS: u64 = DEFAULT_NO_CLICK_WINDOW_MS + 30_000;
const DAY_MS: u64 = 86_400_000;

/// Topics of the front page, as the demo's.
pub const TOPICS: [&str; 7] = [
    "sports", "politics", "science", "food", "travel", "tech", "culture",
];

/// One story.
#[derive(Debug, Clone)]
pub struct Story {
    /// Its id.
    pub id: String,
    /// Index into [`TOPICS`].
    pub topic: usize,
    /// The topic tag and a finer one.
    pub tags: Vec<String>,
    /// The server's score.
    pub score: f64,
}

/// The stories the server supplies, in its order.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// In the server's order.
    pub stories: Vec<Story>,
}

impl Catalogue {
    /// 42 stories, topics interleaved (6 rounds of the 7 topics), each with one of three
    /// finer tags of its topic, the score falling from 0.99 by 0.02 per position.
    pub fn front_page() -> Self {
        let stories = (0..42)
            .map(|i| {
                let topic = i % TOPICS.len();
                let finer = format!("{}-{}", TOPICS[topic], (i / TOPICS.len()) % 3);
                Story {
                    id: format!("a{}", i + 1),
                    topic,
                    tags: vec![TOPICS[topic].to_owned(), finer],
                    score: 0.99 - 0.02 * i as f64,
                }
            })
            .collect();
        Catalogue { stories }
    }

    fn candidates(&self) -> Vec<Candidate> {
        self.stories
            .iter()
            .map(|s| Candidate {
                id: s.id.clone(),
                tags: s.tags.clone(),
                features: Vec::new(),
                server_score: Some(s.score),
            })
            .collect()
    }
}

/// What kind of visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One favourite topic throughout.
    Stable,
    /// Two favourite topics.
    Two,
    /// One favourite until [`CHANGE_AT`], another after.
    Changing,
    /// No preference: every story equally attractive.
    Random,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 4] = [Kind::Stable, Kind::Two, Kind::Changing, Kind::Random];

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Stable => "stable favourite",
            Kind::Two => "two favourites",
            Kind::Changing => "favourite changes at round 20",
            Kind::Random => "clicks at random",
        }
    }
}

/// One simulated person.
#[derive(Debug, Clone)]
pub struct Visitor {
    kind: Kind,
    first: usize,
    second: usize,
}

impl Visitor {
    /// A visitor of `kind` with favourites drawn from `rng`.
    pub fn draw(kind: Kind, rng: &mut impl RngCore) -> Self {
        let first = below(rng, TOPICS.len());
        let second = (first + 1 + below(rng, TOPICS.len() - 1)) % TOPICS.len();
        Visitor {
            kind,
            first,
            second,
        }
    }

    /// Whether `topic` is a favourite at `round`.
    pub fn likes(&self, topic: usize, round: usize) -> bool {
        match self.kind {
            Kind::Stable => topic == self.first,
            Kind::Two => topic == self.first || topic == self.second,
            Kind::Changing if round < CHANGE_AT => topic == self.first,
            Kind::Changing => topic == self.second,
            Kind::Random => false,
        }
    }

    /// How likely an examined story is clicked: the visitor's taste for its topic, times the
    /// story's quality, which the server's score reflects (from 1 at the top to 0.58 at the
    /// bottom): the server's order is right for everyone, just not personal.
    fn attraction(&self, story: &Story, round: usize) -> f64 {
        let taste = match self.kind {
            Kind::Random => RANDOM,
            _ if self.likes(story.topic, round) => LIKED,
            _ => OTHER,
        };
        taste * (0.5 + 0.5 * story.score)
    }

    /// The cascade: the position clicked, if any.
    fn click(&self, shown: &[&Story], round: usize, rng: &mut impl RngCore) -> Option<usize> {
        let mut examined = 1.0;
        for (position, story) in shown.iter().enumerate() {
            if unit(rng) < examined && unit(rng) < self.attraction(story, round) {
                return Some(position);
            }
            examined *= EXAMINATION;
        }
        None
    }
}

/// Something that orders the front page for one visitor and hears what they clicked.
pub trait Ranker {
    /// The stories to show (indices into the catalogue), at most [`SHOWN`].
    fn rank(&mut self, catalogue: &Catalogue, round: usize, now: Millis) -> Vec<usize>;
    /// What happened to the list just shown: impressions of all of it at `now`, and the
    /// story clicked, if any.
    fn feedback(
        &mut self,
        catalogue: &Catalogue,
        shown: &[usize],
        clicked: Option<usize>,
        now: Millis,
    );
}

/// The server's order, always.
#[derive(Debug, Default)]
pub struct ServerOrder;

impl Ranker for ServerOrder {
    fn rank(&mut self, _: &Catalogue, _: usize, _: Millis) -> Vec<usize> {
        (0..SHOWN).collect()
    }
    fn feedback(&mut self, _: &Catalogue, _: &[usize], _: Option<usize>, _: Millis) {}
}

/// Topics clicked most first, the server's order within: what a site could write in ten
/// lines.
#[derive(Debug, Default)]
pub struct Counting {
    clicks: [u32; TOPICS.len()],
}

impl Ranker for Counting {
    fn rank(&mut self, catalogue: &Catalogue, _: usize, _: Millis) -> Vec<usize> {
        let mut order: Vec<usize> = (0..catalogue.stories.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(self.clicks[catalogue.stories[i].topic]));
        order.truncate(SHOWN);
        order
    }
    fn feedback(&mut self, catalogue: &Catalogue, _: &[usize], clicked: Option<usize>, _: Millis) {
        if let Some(i) = clicked {
            self.clicks[catalogue.stories[i].topic] += 1;
        }
    }
}

/// Hearth's engine, fed as the SDK feeds it with every purpose granted.
#[derive(Debug)]
pub struct Hearth {
    engine: Personalization,
    decision: u64,
}

impl Hearth {
    /// An engine with `params`, default profile settings, and `seed`.
    pub fn new(params: Params, seed: u64) -> Self {
        let params = params.validate().expect("simulated parameters are valid");
        Hearth {
            engine: Personalization::new(
                &params,
                ProfileConfig::default(),
                SegmentDefs::default(),
                seed,
                DEFAULT_NO_CLICK_WINDOW_MS,
            ),
            decision: 0,
        }
    }
}

/// Local (hour, weekday) at `now`, days starting at 08:00.
fn local_time(now: Millis) -> (f64, f64) {
    let hours = now.0 as f64 / 3_600_000.0;
    ((8.0 + hours) % 24.0, ((now.0 / DAY_MS) % 7) as f64)
}

impl Ranker for Hearth {
    fn rank(&mut self, catalogue: &Catalogue, _: usize, now: Millis) -> Vec<usize> {
        let request = RankRequest {
            slot: Some(SLOT.to_owned()),
            candidates: catalogue.candidates(),
            context: Vec::new(),
            limit: SHOWN,
            rules: Rules::default(),
        };
        self.decision += 1;
        let id = format!("d{}", self.decision);
        let decision = self.engine.rank(request, Some(local_time(now)), id, now);
        decision
            .items
            .iter()
            .filter_map(|item| catalogue.stories.iter().position(|s| s.id == item.id))
            .collect()
    }

    fn feedback(
        &mut self,
        catalogue: &Catalogue,
        shown: &[usize],
        clicked: Option<usize>,
        now: Millis,
    ) {
        let item = |i: usize| {
            let story = &catalogue.stories[i];
            Item::new(&story.id, story.tags.iter().map(String::as_str), Some(SLOT))
                .expect("simulated ids are not empty")
        };
        let seen_at = Millis(now.0 + 1_000);
        let impressions: Vec<Event> = shown
            .iter()
            .map(|&i| Event::impression(seen_at, &item(i)))
            .collect();
        self.engine.observe(&impressions, None, seen_at);
        if let Some(i) = clicked {
            let at = Millis(now.0 + 5_000);
            self.engine
                .observe(&[Event::item_click(at, item(i))], None, at);
        }
    }
}

/// Hearth started afresh when the favourite changes.
#[derive(Debug)]
pub struct Restarted {
    hearth: Hearth,
    params: Params,
    seed: u64,
}

impl Ranker for Restarted {
    fn rank(&mut self, catalogue: &Catalogue, round: usize, now: Millis) -> Vec<usize> {
        if round == CHANGE_AT {
            self.hearth = Hearth::new(self.params, self.seed);
        }
        self.hearth.rank(catalogue, round, now)
    }

    fn feedback(
        &mut self,
        catalogue: &Catalogue,
        shown: &[usize],
        clicked: Option<usize>,
        now: Millis,
    ) {
        self.hearth.feedback(catalogue, shown, clicked, now);
    }
}

/// What one visitor saw and did.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    /// Per round: how many of the top 3 were favourites then.
    pub favourites_in_top3: Vec<usize>,
    /// Per round: whether the visitor clicked.
    pub clicked: Vec<bool>,
    /// A favourite held 2 of the top 3 and later none of it, the favourite unchanged.
    pub vanished: bool,
    /// A favourite held 2 of the top 3 at some round.
    pub reached: bool,
    /// Per round: the stories shown (catalogue index, and whether a favourite then).
    pub shown: Vec<Vec<(usize, bool)>>,
    /// Per round: the position clicked, if any.
    pub click_positions: Vec<Option<usize>>,
}

/// Runs one visitor against one ranker for [`ROUNDS`] rounds; the visitor's clicks draw from
/// `rng` (pass equal seeds to compare rankers on the same person's luck).
pub fn run(
    ranker: &mut dyn Ranker,
    visitor: &Visitor,
    catalogue: &Catalogue,
    rng: &mut impl RngCore,
) -> Trace {
    let mut trace = Trace::default();
    let mut reached_since = None;
    // A favourite "reached" the top 3 once it holds 2 of it after the visitor clicked a
    // favourite story: placed there by learning, not by exploring before any evidence.
    let mut favourite_clicked = false;
    for round in 0..ROUNDS {
        let visit = (round / 10) as u64;
        let now = Millis(visit * DAY_MS + visit % 4 * 3 * 3_600_000 + round as u64 * ROUND_GAP_MS);
        let shown = ranker.rank(catalogue, round, now);
        let stories: Vec<&Story> = shown.iter().map(|&i| &catalogue.stories[i]).collect();
        let in_top3 = stories
            .iter()
            .take(3)
            .filter(|s| visitor.likes(s.topic, round))
            .count();
        if visitor.kind == Kind::Changing && round == CHANGE_AT {
            reached_since = None;
            favourite_clicked = false;
        }
        if in_top3 >= 2 && favourite_clicked && reached_since.is_none() {
            reached_since = Some(round);
            trace.reached = true;
        }
        if in_top3 == 0 && reached_since.is_some() {
            trace.vanished = true;
        }
        let clicked = visitor.click(&stories, round, rng);
        favourite_clicked |= clicked.is_some_and(|p| visitor.likes(stories[p].topic, round));
        ranker.feedback(catalogue, &shown, clicked.map(|p| shown[p]), now);
        trace.favourites_in_top3.push(in_top3);
        trace.clicked.push(clicked.is_some());
        trace.shown.push(
            shown
                .iter()
                .map(|&i| (i, visitor.likes(catalogue.stories[i].topic, round)))
                .collect(),
        );
        trace.click_positions.push(clicked);
    }
    trace
}

/// Figures for one visitor kind and one ranker over many visitors.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    /// Mean share of the top 3 held by a favourite, after 3, 10 and 30 rounds.
    pub share_top3: [f64; 3],
    /// Mean clicks per round over all rounds.
    pub clicks_per_round: f64,
    /// Of visitors whose favourite reached the top 3 (2 of 3), the share for whom it later
    /// vanished from it.
    pub vanished: f64,
    /// How many visitors had a favourite reach the top 3.
    pub reached: usize,
}

/// Rounds after which the top-3 share is reported.
pub const CHECKPOINTS: [usize; 3] = [3, 10, 30];

/// Summarises traces.
pub fn figures(traces: &[Trace]) -> Figures {
    let n = traces.len().max(1) as f64;
    let share = |round: usize| {
        traces
            .iter()
            .map(|t| t.favourites_in_top3[round] as f64 / 3.0)
            .sum::<f64>()
            / n
    };
    let clicks: usize = traces
        .iter()
        .map(|t| t.clicked.iter().filter(|c| **c).count())
        .sum();
    let reached = traces.iter().filter(|t| t.reached).count();
    let vanished = traces.iter().filter(|t| t.vanished).count();
    Figures {
        share_top3: CHECKPOINTS.map(share),
        clicks_per_round: clicks as f64 / (n * ROUNDS as f64),
        vanished: vanished as f64 / reached.max(1) as f64,
        reached,
    }
}

/// Which ranker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Which {
    /// The server's order.
    Server,
    /// Topics clicked most first.
    Counting,
    /// Hearth with these parameters.
    Hearth(Params),
    /// Hearth with these parameters, started afresh at [`CHANGE_AT`] (what a ranker that
    /// knew when interests changed would do: the yardstick for forgetting).
    HearthRestarted(Params),
}

/// `visitors` visitors of `kind` against `which`, seeded from `seed`: the same seed gives
/// every ranker the same visitors with the same luck.
pub fn simulate(which: Which, kind: Kind, visitors: usize, seed: u64) -> Figures {
    let traces: Vec<Trace> = (0..visitors as u64)
        .map(|v| trace(which, kind, v, seed))
        .collect();
    figures(&traces)
}

/// What visitor number `v` of `kind` saw and did under `which`.
pub fn trace(which: Which, kind: Kind, v: u64, seed: u64) -> Trace {
    let catalogue = Catalogue::front_page();
    let mut people = Xoshiro256PlusPlus::seed_from_u64(seed ^ (v << 20));
    let visitor = Visitor::draw(kind, &mut people);
    let mut ranker: Box<dyn Ranker> = match which {
        Which::Server => Box::new(ServerOrder),
        Which::Counting => Box::new(Counting::default()),
        Which::Hearth(params) => Box::new(Hearth::new(params, seed.wrapping_add(v))),
        Which::HearthRestarted(params) => Box::new(Restarted {
            hearth: Hearth::new(params, seed.wrapping_add(v)),
            params,
            seed: seed.wrapping_add(v),
        }),
    };
    run(ranker.as_mut(), &visitor, &catalogue, &mut people)
}

fn unit(rng: &mut impl RngCore) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn below(rng: &mut impl RngCore, n: usize) -> usize {
    (unit(rng) * n as f64) as usize % n.max(1)
}
