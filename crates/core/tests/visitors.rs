//! The visitor simulator's checks (examples/visitors), with fixed seeds, and the demo's
//! second-click flow as a regression test.
// Examples and test helpers may unwrap and index (tests themselves may: clippy.toml).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../examples/visitors/sim.rs"]
#[allow(dead_code)]
mod sim;

use hearth_core::bandit::Params;
use hearth_core::personalize::{Personalization, DEFAULT_NO_CLICK_WINDOW_MS};
use hearth_core::profile::config::ProfileConfig;
use hearth_core::profile::SegmentDefs;
use hearth_core::request::rules::Rules;
use hearth_core::request::{Candidate, RankRequest};
use hearth_core::time::Millis;

fn engine() -> Personalization {
    let params = Params::default().validate().expect("defaults are valid");
    Personalization::new(
        &params,
        ProfileConfig::default(),
        SegmentDefs::default(),
        7,
        DEFAULT_NO_CLICK_WINDOW_MS,
    )
}

/// The demo's stories (www/articles.js), as the demo ranks them: `{id, tags, score}`, where
/// the first tag is the topic.
fn demo_candidates() -> Vec<Candidate> {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../www/articles.js"
    ))
    .expect("the demo's articles");
    let rows = source.lines().filter(|l| l.trim_start().starts_with("['"));
    rows.enumerate()
        .map(|(i, row)| {
            // ['Title', 'topic', ['extra']],
            let parts: Vec<&str> = row.split('\'').collect();
            assert_eq!(
                parts.len(),
                7,
                "a row of title, topic and one extra tag: {row}"
            );
            Candidate {
                id: format!("a{}", i + 1),
                tags: vec![parts[3].to_owned(), parts[5].to_owned()],
                features: Vec::new(),
                server_score: Some(((0.99 - i as f64 * 0.02) * 100.0).round() / 100.0),
            }
        })
        .collect()
}

fn demo_request(candidates: &[Candidate]) -> RankRequest {
    RankRequest {
        slot: Some("feed".into()),
        candidates: candidates.to_vec(),
        context: Vec::new(),
        limit: 8,
        rules: Rules::default(),
    }
}

#[test]
fn a_second_click_at_any_position_keeps_the_clicked_topic_in_the_top_3() {
    let stories = demo_candidates();
    assert_eq!(stories.len(), 42);
    let topic = |id: &str| {
        let story = stories.iter().find(|s| s.id == id).expect("a demo story");
        story.tags[0].clone()
    };
    let at = |s: u64| Millis(1_000_000 + s * 1_000);
    for second in 0..8 {
        let mut hearth = engine();
        let rank = |hearth: &mut Personalization, id: &str, s| {
            hearth.rank(demo_request(&stories), Some((10.0, 2.0)), id.into(), at(s))
        };
        let reward = |hearth: &mut Personalization, decision: &str, item: &str, value| {
            let learned = hearth.reward(decision, item, value, at(1));
            assert_eq!(learned, Ok(true), "{decision} {item}");
        };
        // The flow: four stories skipped, the fifth clicked; then a second click.
        let r = rank(&mut hearth, "d1", 0);
        for item in &r.items[..4] {
            reward(&mut hearth, "d1", &item.id, 0.0);
        }
        reward(&mut hearth, "d1", &r.items[4].id, 1.0);
        let r = rank(&mut hearth, "d2", 2);
        for item in &r.items[..second] {
            reward(&mut hearth, "d2", &item.id, 0.0);
        }
        let clicked = r.items[second].id.clone();
        reward(&mut hearth, "d2", &clicked, 1.0);
        let r = rank(&mut hearth, "d3", 4);
        let top3: Vec<&str> = r.items.iter().take(3).map(|i| i.id.as_str()).collect();
        let same = top3
            .iter()
            .filter(|id| topic(id) == topic(&clicked))
            .count();
        assert!(
            same >= 2,
            "second click at {}: {clicked} ({}), top 3 {top3:?}",
            second + 1,
            topic(&clicked)
        );
    }
}

/// Visitors per kind in the checks: enough for a 1-in-100 rate to show, few enough for a
/// debug build.
const VISITORS: usize = 200;
const SEED: u64 = 1;

fn figures(which: sim::Which, kind: sim::Kind) -> sim::Figures {
    sim::simulate(which, kind, VISITORS, SEED)
}

fn hearth() -> sim::Which {
    sim::Which::Hearth(Params::default())
}

#[test]
fn a_stable_favourite_holds_the_top_3_and_does_not_vanish_from_it() {
    let f = figures(hearth(), sim::Kind::Stable);
    assert!(f.share_top3[1] >= 0.8, "after 10 rounds: {f:?}");
    assert!(f.reached >= VISITORS * 9 / 10, "{f:?}");
    assert!(f.vanished <= 0.01, "{f:?}");
}

#[test]
fn a_changed_favourite_takes_the_top_3_within_10_rounds() {
    let f = figures(hearth(), sim::Kind::Changing);
    assert_eq!(sim::CHECKPOINTS[2], sim::CHANGE_AT + 10);
    assert!(f.share_top3[2] >= 0.6, "{f:?}");
}

#[test]
fn every_kind_of_visitor_clicks_at_least_as_often_as_with_counting() {
    for kind in sim::Kind::ALL {
        let hearth = figures(hearth(), kind);
        let counting = figures(sim::Which::Counting, kind);
        let server = figures(sim::Which::Server, kind);
        assert!(
            hearth.clicks_per_round >= counting.clicks_per_round,
            "{kind:?}: hearth {hearth:?} counting {counting:?}"
        );
        if kind != sim::Kind::Random {
            assert!(
                hearth.clicks_per_round > server.clicks_per_round,
                "{kind:?}: hearth {hearth:?} server {server:?}"
            );
        }
    }
}
