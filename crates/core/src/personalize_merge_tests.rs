//! Several tabs writing one stored state: the journal replay loses no update.

use super::*;
use crate::bandit::snapshot;
use crate::bandit::Params;
use crate::event::Item;
use crate::profile::{Counter, Window};
use crate::value::from_json;

/// The stored state as IndexedDB would hold it: JSON text and a revision.
#[derive(Default)]
struct FakeStore {
    rev: u64,
    household: Option<String>,
    model: Option<String>,
}

struct Tab {
    p: Personalization,
    known_rev: u64,
}

fn tab(seed: u64) -> Tab {
    let params = Params::default()
        .validate()
        .expect("the defaults are valid");
    Tab {
        p: Personalization::new(
            &params,
            ProfileConfig::default(),
            SegmentDefs::default(),
            seed,
            DEFAULT_NO_CLICK_WINDOW_MS,
        ),
        known_rev: 0,
    }
}

fn load(store: &FakeStore) -> (Option<Profiles>, Option<RidgeModel>) {
    let household = store.household.as_ref().map(|text| {
        Profiles::parse(from_json(text), ProfileConfig::default()).expect("stored form reads back")
    });
    let model = store.model.as_ref().map(|text| {
        snapshot::import(from_json(text))
            .expect("snapshot reads back")
            .1
    });
    (household, model)
}

/// What the browser layer does: merge when another tab wrote since, then write.
fn flush(tab: &mut Tab, store: &mut FakeStore, now: Millis) {
    if store.rev != tab.known_rev {
        let (household, model) = load(store);
        tab.p.merge_stored(household, model, now);
        tab.known_rev = store.rev;
    }
    let mark = tab.p.journal_mark();
    store.household = Some(serde_json::to_string(tab.p.profiles()).expect("serializable"));
    store.model = Some(serde_json::to_string(&tab.p.export_model()).expect("serializable"));
    store.rev += 1;
    tab.known_rev = store.rev;
    tab.p.written(mark, true);
}

fn click(at: u64) -> Event {
    let item = Item::new("a", ["sports"], Some("feed")).expect("a valid item");
    Event::item_click(Millis(at), item)
}

#[test]
fn two_tabs_clicking_a_thousand_times_each_store_two_thousand_clicks() {
    let mut store = FakeStore::default();
    let (mut a, mut b) = (tab(1), tab(2));
    for i in 0..1_000u64 {
        a.p.observe(&[click(i)], None, Millis(i));
        b.p.observe(&[click(i)], None, Millis(i));
        if i % 37 == 0 {
            flush(&mut a, &mut store, Millis(i));
        }
        if i % 53 == 0 {
            flush(&mut b, &mut store, Millis(i));
        }
    }
    flush(&mut a, &mut store, Millis(1_000));
    flush(&mut b, &mut store, Millis(1_000));
    let (household, _) = load(&store);
    let household = household.expect("written");
    assert_eq!(
        household
            .active()
            .count(Counter::Clicks, Window::All, Millis(1_000)),
        2_000
    );
    // Each tab sees the other's clicks once it merged.
    flush(&mut a, &mut store, Millis(1_001));
    assert_eq!(
        a.p.profile()
            .count(Counter::Clicks, Window::All, Millis(1_001)),
        2_000
    );
}

#[test]
fn rewards_from_two_tabs_all_reach_the_stored_model() {
    let mut store = FakeStore::default();
    let (mut a, mut b) = (tab(1), tab(2));
    let request = || {
        RankRequest::parse(from_json(
            r#"{"slot":"feed","candidates":[{"id":"x","tags":["t"]},{"id":"y"}]}"#,
        ))
        .expect("valid")
    };
    for i in 0..10u64 {
        for (t, name) in [(&mut a, "a"), (&mut b, "b")] {
            let id = format!("{name}{i}");
            t.p.rank(request(), None, id.clone(), Millis(i));
            t.p.reward(&id, "x", 1.0, Millis(i)).expect("open decision");
        }
        flush(&mut a, &mut store, Millis(i));
        flush(&mut b, &mut store, Millis(i));
    }
    let (_, model) = load(&store);
    assert_eq!(model.expect("written").updates(), 20);
}

#[test]
fn profile_switches_and_removals_replay_in_order() {
    let mut store = FakeStore::default();
    let (mut a, mut b) = (tab(1), tab(2));
    a.p.use_profile("kid").expect("valid name");
    a.p.observe(&[click(1)], None, Millis(1));
    b.p.observe(&[click(2)], None, Millis(2));
    flush(&mut b, &mut store, Millis(3));
    flush(&mut a, &mut store, Millis(3));
    let (household, _) = load(&store);
    let household = household.expect("written");
    assert_eq!(household.list(), ["default", "kid"]);
    assert_eq!(household.active_name(), "kid");
    let clicks = |name: &str| {
        household
            .get(name)
            .map(|p| p.count(Counter::Clicks, Window::All, Millis(3)))
    };
    assert_eq!((clicks("default"), clicks("kid")), (Some(1), Some(1)));
    a.p.remove_profile("kid").expect("valid name");
    flush(&mut a, &mut store, Millis(4));
    assert_eq!(load(&store).0.expect("written").list(), ["default"]);
}

#[test]
fn an_imported_model_wins_over_the_stored_one_and_an_incompatible_one_is_dropped() {
    let mut store = FakeStore::default();
    let (mut a, mut b) = (tab(1), tab(2));
    let request = || {
        RankRequest::parse(from_json(r#"{"candidates":[{"id":"x"},{"id":"y"}]}"#)).expect("valid")
    };
    b.p.rank(request(), None, "b1".into(), Millis(0));
    b.p.reward("b1", "x", 1.0, Millis(0)).expect("open");
    flush(&mut b, &mut store, Millis(0));
    let prior = serde_json::to_string(&tab(3).p.export_model()).expect("serializable");
    a.p.import_model(from_json(&prior))
        .expect("a valid snapshot");
    flush(&mut a, &mut store, Millis(1));
    assert_eq!(
        load(&store).1.expect("written").updates(),
        0,
        "the import replaced it"
    );

    let other = Params {
        block_dim: 8,
        ..Params::default()
    }
    .validate()
    .expect("valid");
    let mut foreign = crate::bandit::model::RidgeModel::new(other.layout(), other.ridge());
    foreign.update(&crate::bandit::test_support::one_hot(1), 1.0);
    assert_eq!(foreign.updates(), 1);
    let mut c = tab(4);
    c.p.merge_stored(None, Some(foreign), Millis(2));
    assert_eq!(
        c.p.rewards_learned(),
        0,
        "another layout's model is not used"
    );
}

#[test]
fn granting_storage_after_personalization_keeps_what_was_learned() {
    let mut t = tab(1);
    t.p.set_journaling(false); // storage not allowed yet
    t.p.observe(&[click(1)], None, Millis(1));
    t.p.set_journaling(true); // granted: the store opens, finds nothing
    t.p.merge_stored(None, None, Millis(2));
    assert_eq!(
        t.p.profile().count(Counter::Clicks, Window::All, Millis(2)),
        1
    );
    assert_eq!(t.p.unwritten_records(), (true, true), "written whole next");
    let mut store = FakeStore::default();
    flush(&mut t, &mut store, Millis(3));
    assert!(!t.p.has_unwritten_changes());
    let (household, _) = load(&store);
    assert_eq!(
        household
            .expect("written")
            .active()
            .count(Counter::Clicks, Window::All, Millis(3)),
        1
    );
}

#[test]
fn retention_forgets_old_affinities_and_a_stale_visitor_entirely() {
    let mut t = tab(1);
    t.p.observe(&[click(1_000)], None, Millis(1_000));
    let item = Item::new("b", ["news"], Some("feed")).expect("a valid item");
    t.p.observe(
        &[Event::item_click(Millis(5_000), item)],
        None,
        Millis(5_000),
    );
    t.p.forget_before(Millis(2_000));
    assert_eq!(t.p.profile().affinity("sports", Millis(5_000)), 0.0);
    assert!(t.p.profile().affinity("news", Millis(5_000)) > 0.0);
    assert!(t.p.forget_before(Millis(10_000)), "not seen since: emptied");
    assert_eq!(t.p.profile().last_seen(), None);
}
