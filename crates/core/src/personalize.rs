//! What personalization keeps while `personalization` is allowed: the visitor's profile (fed
//! by captured events), the bandit's model, and the recent decisions that rewards join to.
//!
//! It ranks a validated request (through [`crate::ranking`]) and learns from rewards
//! — explicit ones, and a click on a ranked item, which is a reward of 1. With no reward
//! learned yet (cold start) the server's order stands. The engine drops all of it, at once,
//! when consent goes. What is stored (the household of profiles and the model) is written by
//! the browser layer; every change to it is also kept in a [`Journal`] until written, so that
//! [`Personalization::merge_stored`] can replay it onto what another tab wrote meanwhile.

use crate::bandit::model::RidgeModel;
use crate::bandit::snapshot::{self, Snapshot, SnapshotError};
use crate::bandit::{
    joint_features, prepare_context, AnyPolicy, Context, Feedback, Policy, PreparedContext,
    ValidParams,
};
use crate::event::{ClickTarget, Event, SessionState};
use crate::log::{DecisionLog, LoggedDecision};
use crate::persist::{Change, Journal, JournalMark};
use crate::profile::config::ProfileConfig;
use crate::profile::{HouseholdError, Profile, Profiles, SegmentDefs, SegmentTracker};
use crate::ranking::{self, score_range, server_prior};
use crate::request::{Candidate, Decision, NotPersonalizedReason, RankRequest};
use crate::time::Millis;
use crate::value::Value;
use rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use std::collections::VecDeque;

/// Decisions kept open for rewards; the oldest close first.
pub const MAX_OPEN_DECISIONS: usize = 64;
/// How long a decision accepts rewards.
pub const DECISION_TTL_MS: u64 = 30 * 60_000;
/// Items per decision that can be rewarded (the top of the list).
pub const MAX_REWARDABLE_ITEMS: usize = 50;
/// Strongest affinities put into each decision's context.
pub const AFFINITIES_IN_CONTEXT: usize = 32;
/// How long after its impression an item that was not clicked earns a reward of 0, by
/// default (`ranker.noClickSeconds`).
pub const DEFAULT_NO_CLICK_WINDOW_MS: u64 = 30_000;
/// The most an unclicked item earns from dwell (`ranker.dwellSeconds`): reading a teaser
/// for a while is a weaker signal than a click, which earns 1.
pub const MAX_DWELL_REWARD: f64 = 0.5;
/// Weight of a zero for an item shown above a click and passed over: weaker evidence than the
/// click (an item above a click may not have been read with care).
pub const SKIPPED_WEIGHT: f64 = 0.3;
/// Weight of what an item earns when it was seen and not clicked within the no-click window:
/// whether it was looked at all is unknown. Items below a click in the same decision earn
/// nothing: the visitor left the list to read what they clicked.
pub const NOT_CLICKED_WEIGHT: f64 = 0.3;

#[derive(Debug)]
struct OpenDecision {
    id: String,
    slot: Option<String>,
    at: Millis,
    /// The context the decision was made in: with a shown candidate, it gives the joint
    /// features the policy scored, built again only for the items that earn a reward.
    context: PreparedContext,
    /// Shown items, in order.
    items: Vec<ShownItem>,
}

#[derive(Debug)]
struct ShownItem {
    candidate: Candidate,
    /// Its share of [`ranking::SERVER_PRIOR`] from its place in the server's order: the model
    /// learns what a reward says beyond it.
    prior: f64,
    /// A reward was already learned for it in this decision.
    rewarded: bool,
    /// The visitor clicked it.
    clicked: bool,
    /// When it made an impression (seen), if it did.
    seen_at: Option<Millis>,
    /// Attended visibility reported for it so far, in milliseconds.
    dwell_ms: u64,
}

/// Why a reward was not learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RewardRefusal {
    /// No open decision has this id (never made, expired, or closed by newer ones).
    UnknownDecision,
    /// The decision did not show this item (or showed it below the rewardable top).
    UnknownItem,
}

/// Profiles, segments, model and open decisions.
#[derive(Debug)]
pub struct Personalization {
    params: ValidParams,
    policy: AnyPolicy,
    profiles: Profiles,
    segment_defs: SegmentDefs,
    segments: SegmentTracker,
    /// Changes to the profiles and the model not yet written.
    journal: Journal,
    /// Whether changes go to the journal.
    journaling: bool,
    /// Whether the journal holds every change since the state matched what is stored; not
    /// when journaling was off for a while (e.g. before `storage` was granted).
    in_sync: bool,
    /// The household and model must be written whole at the next write (they changed
    /// without a journal: kept from before storage, forgotten by retention, or found
    /// unreadable in storage).
    rewrite: bool,
    /// Ids of logged decisions made or rewarded since the last write (at most the log's size).
    unwritten_decisions: Vec<String>,
    decisions: VecDeque<OpenDecision>,
    log: DecisionLog,
    rng: Xoshiro256PlusPlus,
    no_click_window_ms: u64,
    /// With graded dwell rewards: the dwell that earns [`MAX_DWELL_REWARD`], in ms.
    full_dwell_ms: Option<u64>,
}

impl Personalization {
    /// Starts with an empty household and an untrained model; `seed` makes exploration
    /// reproducible.
    pub fn new(
        params: &ValidParams,
        profile: ProfileConfig,
        segment_defs: SegmentDefs,
        seed: u64,
        no_click_window_ms: u64,
    ) -> Self {
        Personalization {
            params: *params,
            policy: AnyPolicy::new(params),
            profiles: Profiles::new(profile),
            segment_defs,
            segments: SegmentTracker::new(),
            journal: Journal::default(),
            journaling: true,
            in_sync: true,
            rewrite: false,
            unwritten_decisions: Vec::new(),
            decisions: VecDeque::new(),
            log: DecisionLog::default(),
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            no_click_window_ms,
            full_dwell_ms: None,
        }
    }

    /// Turns on graded rewards from dwell: an item seen and not clicked earns
    /// `MAX_DWELL_REWARD × min(1, dwell / full_dwell_ms)` when its no-click window ends,
    /// instead of 0.
    pub fn grade_dwell(&mut self, full_dwell_ms: Option<u64>) {
        self.full_dwell_ms = full_dwell_ms.filter(|ms| *ms > 0);
    }

    /// The decision log, for export.
    pub fn log(&self) -> &DecisionLog {
        &self.log
    }

    /// The active profile.
    pub fn profile(&self) -> &Profile {
        self.profiles.active()
    }

    /// Every profile of the household.
    pub fn profiles(&self) -> &Profiles {
        &self.profiles
    }

    /// The active profile's segments as last computed.
    pub fn segments(&self) -> &[String] {
        self.segments.current()
    }

    /// Recomputes the active profile's segments at `now`; returns them when they changed.
    pub fn refresh_segments(&mut self, now: Millis) -> Option<Vec<String>> {
        let segments = self.segment_defs.segments(self.profiles.active(), now);
        self.segments.update(segments)
    }

    /// `profile.use(name)`: makes `name` the active profile (created when new).
    pub fn use_profile(&mut self, name: &str) -> Result<bool, HouseholdError> {
        let created = self.profiles.use_profile(name)?;
        self.record(Change::UseProfile(name.to_owned()));
        Ok(created)
    }

    /// `profile.remove(name)`.
    pub fn remove_profile(&mut self, name: &str) -> Result<bool, HouseholdError> {
        let removed = self.profiles.remove(name)?;
        self.record(Change::RemoveProfile(name.to_owned()));
        Ok(removed)
    }

    /// Whether changes are journaled, i.e. whether they will be written (only while a
    /// store is open or opening: otherwise nothing would ever clear the journal).
    pub fn set_journaling(&mut self, on: bool) {
        if !on {
            self.journal.clear();
            self.in_sync = false;
        }
        self.journaling = on;
    }

    /// Asks for the household and the model to be written whole at the next write.
    pub fn rewrite_all(&mut self) {
        self.rewrite = true;
    }

    /// Whether the next write must carry the household and model whole.
    pub fn needs_rewrite(&self) -> bool {
        self.rewrite
    }

    fn record(&mut self, change: Change) {
        if self.journaling {
            self.journal.record(change);
        }
    }

    /// Which stored records the unwritten changes touch: `(household, model)`.
    pub fn unwritten_records(&self) -> (bool, bool) {
        (
            self.rewrite || self.journal.touches_profiles(),
            self.rewrite || self.journal.touches_model(),
        )
    }

    /// Whether anything changed since the last write.
    pub fn has_unwritten_changes(&self) -> bool {
        self.rewrite || !self.journal.is_empty() || !self.unwritten_decisions.is_empty()
    }

    fn decision_changed(&mut self, id: &str) {
        if !self.unwritten_decisions.iter().any(|d| d == id) {
            if self.unwritten_decisions.len() == crate::log::MAX_LOGGED_DECISIONS {
                self.unwritten_decisions.remove(0);
            }
            self.unwritten_decisions.push(id.to_owned());
        }
    }

    /// The logged decisions made or rewarded since the last call, to write.
    pub fn take_unwritten_decisions(&mut self) -> Vec<&LoggedDecision> {
        let ids = std::mem::take(&mut self.unwritten_decisions);
        self.log
            .decisions()
            .filter(|d| ids.contains(&d.id))
            .collect()
    }

    /// The end of the changes a write about to start carries.
    pub fn journal_mark(&self) -> JournalMark {
        self.journal.mark()
    }

    /// A write carrying the changes up to `mark` (and, when `rewrote`, the whole household
    /// and model) succeeded.
    pub fn written(&mut self, mark: JournalMark, rewrote: bool) {
        self.journal.written(mark);
        if rewrote {
            self.rewrite = false;
        }
    }

    /// Takes in the stored state another tab (or an earlier page) wrote: the household and
    /// the model become the stored ones with this tab's unwritten changes replayed on top.
    /// A stored model built for another feature layout or ridge is not used; a model this
    /// tab imported since its last write replaces the stored one.
    ///
    /// When the journal does not cover this tab's state (journaling was off, e.g. before
    /// `storage` was granted) and nothing is stored, the state is kept as it is and written
    /// whole next, so that granting `storage` later keeps what was learned.
    pub fn merge_stored(
        &mut self,
        household: Option<Profiles>,
        model: Option<RidgeModel>,
        now: Millis,
    ) {
        if !self.in_sync && household.is_none() && model.is_none() {
            self.in_sync = true;
            self.rewrite = true;
            return;
        }
        self.in_sync = true;
        let config = *self.profiles.active().config();
        let mut profiles = household.unwrap_or_else(|| Profiles::new(config));
        let model_replaced = self
            .journal
            .changes()
            .any(|c| matches!(c, Change::ModelReplaced));
        let compatible =
            |m: &RidgeModel| m.layout() == self.params.layout() && m.ridge() == self.params.ridge();
        let mut policy = match model.filter(compatible) {
            Some(model) if !model_replaced => Some(AnyPolicy::with_model(&self.params, model)),
            None if !model_replaced => Some(AnyPolicy::new(&self.params)),
            _ => None,
        };
        for change in self.journal.changes() {
            match change {
                Change::Event { profile, event } => {
                    if let Some(p) = profiles.get_mut(profile) {
                        p.apply(event, now);
                    }
                }
                Change::Session { profile, session } => {
                    if let Some(p) = profiles.get_mut(profile) {
                        p.apply_session(session);
                    }
                }
                Change::Reward { features, feedback } => {
                    if let Some(policy) = &mut policy {
                        policy.update(features, *feedback);
                    }
                }
                Change::UseProfile(name) => {
                    let _ = profiles.use_profile(name);
                }
                Change::RemoveProfile(name) => {
                    let _ = profiles.remove(name);
                }
                Change::ModelReplaced => {}
            }
        }
        self.profiles = profiles;
        if let Some(policy) = policy {
            self.policy = policy;
        }
    }

    /// Retention: forgets what the profiles hold from before `cutoff`; when no profile was
    /// active since then, the model goes too. Returns whether anything was forgotten.
    pub fn forget_before(&mut self, cutoff: Millis) -> bool {
        let stale = self.profiles.last_seen().is_some_and(|seen| seen < cutoff);
        let mut forgot = self.profiles.forget_before(cutoff);
        if stale && self.rewards_learned() > 0 {
            self.policy = AnyPolicy::new(&self.params);
            forgot = true;
        }
        // What retention forgot is not in the journal: the next write carries it whole.
        self.rewrite |= forgot;
        forgot
    }

    /// The model as a versioned snapshot (`model.export()`).
    pub fn export_model(&self) -> Snapshot {
        snapshot::export(&self.params, self.policy.model())
    }

    /// Installs a model trained elsewhere (`model.import(snapshot)`), with the parameters it
    /// was trained with; decisions still open are closed, since their features belong to the
    /// replaced model.
    pub fn import_model(&mut self, value: Value) -> Result<(), SnapshotError> {
        let (params, model) = snapshot::import(value)?;
        self.policy = AnyPolicy::with_model(&params, model);
        self.params = params;
        self.decisions.clear();
        self.record(Change::ModelReplaced);
        Ok(())
    }

    /// The policy's name (`linucb`, …).
    pub fn policy_name(&self) -> &'static str {
        self.policy.name()
    }

    /// Rewards learned so far.
    pub fn rewards_learned(&self) -> u64 {
        self.policy.model().updates()
    }

    /// Ranks `request`: the bandit's order once it has learned anything, the server's before.
    /// `local_time` is `(hour of day, weekday)` when known.
    pub fn rank(
        &mut self,
        request: RankRequest,
        local_time: Option<(f64, f64)>,
        decision_id: String,
        now: Millis,
    ) -> Decision {
        self.reward_unclicked(now);
        let affinities = relative(
            self.profiles
                .active()
                .top_affinities(AFFINITIES_IN_CONTEXT, now),
        );
        let context = Context {
            values: request.context.clone(),
            hour_of_day: local_time.map(|(hour, _)| hour),
            weekday: local_time.map(|(_, day)| day),
            affinities,
            server_scores: score_range(&request.candidates),
        };
        let prepared = prepare_context(&context);
        let decision = if self.rewards_learned() == 0 {
            // Nothing learned: no features to build for the whole list.
            ranking::server_order(&request, decision_id, NotPersonalizedReason::ColdStart)
        } else {
            ranking::bandit_order(
                &self.policy,
                &mut self.rng,
                &request,
                &prepared,
                decision_id,
            )
        };
        let by_id = CandidatesById::new(&request);
        self.open(&decision, &by_id, prepared, now);
        self.log.record(logged(&decision, &request, &by_id, now));
        self.decision_changed(&decision.decision_id);
        decision
    }

    /// Keeps the shown candidates and the context so that rewards can join them (their joint
    /// features, hundreds of entries each, are built only for the items rewarded).
    fn open(
        &mut self,
        decision: &Decision,
        by_id: &CandidatesById<'_>,
        context: PreparedContext,
        now: Millis,
    ) {
        let items = decision
            .items
            .iter()
            .take(MAX_REWARDABLE_ITEMS)
            .filter_map(|item| {
                let (index, candidate) = by_id.get(&item.id)?;
                Some(ShownItem {
                    candidate: candidate.clone(),
                    prior: server_prior(index, by_id.len()),
                    rewarded: false,
                    clicked: false,
                    seen_at: None,
                    dwell_ms: 0,
                })
            })
            .collect();
        self.close_expired(now);
        if self.decisions.len() == MAX_OPEN_DECISIONS {
            self.decisions.pop_front();
        }
        self.decisions.push_back(OpenDecision {
            id: decision.decision_id.clone(),
            slot: decision.slot.clone(),
            at: now,
            context,
            items,
        });
    }

    fn close_expired(&mut self, now: Millis) {
        while self
            .decisions
            .front()
            .is_some_and(|d| now.0.saturating_sub(d.at.0) > DECISION_TTL_MS)
        {
            self.decisions.pop_front();
        }
    }

    /// Learns `value` for `item_id` in `decision_id` (an explicit reward, at full weight).
    /// Returns `Ok(false)` when that item was already rewarded in that decision (a reward
    /// counts once).
    pub fn reward(
        &mut self,
        decision_id: &str,
        item_id: &str,
        value: f64,
        now: Millis,
    ) -> Result<bool, RewardRefusal> {
        self.learn(decision_id, item_id, value, 1.0, now)
    }

    /// Learns `value` at `weight` for an item of an open decision: the model learns what the
    /// reward says beyond the item's server prior.
    fn learn(
        &mut self,
        decision_id: &str,
        item_id: &str,
        value: f64,
        weight: f64,
        now: Millis,
    ) -> Result<bool, RewardRefusal> {
        self.close_expired(now);
        let decision = self
            .decisions
            .iter_mut()
            .find(|d| d.id == decision_id)
            .ok_or(RewardRefusal::UnknownDecision)?;
        let item = decision
            .items
            .iter_mut()
            .find(|item| item.candidate.id == item_id)
            .ok_or(RewardRefusal::UnknownItem)?;
        if item.rewarded {
            return Ok(false);
        }
        item.rewarded = true;
        let features = joint_features(&decision.context, &item.candidate);
        let feedback = Feedback::at(value - item.prior, weight, now);
        self.policy.update(&features, feedback);
        if self.journaling {
            self.journal.record(Change::Reward { features, feedback });
        }
        self.log.reward(decision_id, item_id, value);
        self.decision_changed(decision_id);
        Ok(true)
    }

    /// Feeds captured events to the profile. A click on an item that the latest decision in
    /// its slot showed is a reward of 1 for it, and a zero of weight [`SKIPPED_WEIGHT`] for
    /// each item shown *above* it ("skip-above": a visitor reads down a list, so what sits
    /// above a click was seen and not chosen). An item seen and not clicked within the
    /// no-click window earns 0 (or its dwell's share) at [`NOT_CLICKED_WEIGHT`], unless it sat
    /// below a click in its decision (the click took the visitor away). `session` is the
    /// session the events belong to, taken into the profile's session counts.
    pub fn observe(&mut self, events: &[Event], session: Option<&SessionState>, now: Millis) {
        let active = self.profiles.active_name().to_owned();
        if let Some(session) = session {
            self.profiles.active_mut().apply_session(session);
            self.record(Change::Session {
                profile: active.clone(),
                session: session.clone(),
            });
        }
        for event in events {
            self.profiles.active_mut().apply(event, now);
            self.record(Change::Event {
                profile: active.clone(),
                event: event.clone(),
            });
            match event {
                Event::Click {
                    target: ClickTarget::Item(item),
                    ..
                } => self.reward_click(item.id(), item.slot(), now),
                Event::Impression {
                    at, item_id, slot, ..
                } => self.mark_seen(item_id, slot.as_deref(), *at),
                Event::Dwell {
                    item_id,
                    slot,
                    visible_ms,
                    ..
                } => {
                    if let Some(item) = self.shown_item(item_id, slot.as_deref()) {
                        item.dwell_ms = item.dwell_ms.saturating_add(*visible_ms);
                    }
                }
                _ => {}
            }
        }
        self.reward_unclicked(now);
    }

    /// The item as the latest decision in `slot` that showed it.
    fn shown_item(&mut self, item_id: &str, slot: Option<&str>) -> Option<&mut ShownItem> {
        let decision = self.decisions.iter_mut().rev().find(|d| {
            d.slot.as_deref() == slot && d.items.iter().any(|item| item.candidate.id == item_id)
        });
        decision.and_then(|d| d.items.iter_mut().find(|item| item.candidate.id == item_id))
    }

    fn mark_seen(&mut self, item_id: &str, slot: Option<&str>, at: Millis) {
        if let Some(item) = self.shown_item(item_id, slot) {
            item.seen_at.get_or_insert(at);
        }
    }

    /// Seen items still unrewarded after the window earn 0, or with graded dwell rewards
    /// their share of [`MAX_DWELL_REWARD`], at [`NOT_CLICKED_WEIGHT`]; items below a click in
    /// their decision are not judged.
    fn reward_unclicked(&mut self, now: Millis) {
        let window = self.no_click_window_ms;
        let full_dwell = self.full_dwell_ms;
        let value = |item: &ShownItem| match full_dwell {
            Some(full) => MAX_DWELL_REWARD * (item.dwell_ms as f64 / full as f64).min(1.0),
            None => 0.0,
        };
        let overdue = |item: &ShownItem| {
            !item.rewarded
                && item
                    .seen_at
                    .is_some_and(|at| now.0.saturating_sub(at.0) >= window)
        };
        let due: Vec<(String, String, f64)> = self
            .decisions
            .iter()
            .flat_map(|d| {
                let above_a_click = d.items.iter().rposition(|item| item.clicked);
                let judged = above_a_click.map_or(d.items.len(), |last| last + 1);
                d.items
                    .iter()
                    .take(judged)
                    .filter(|item| overdue(item))
                    .map(|item| (d.id.clone(), item.candidate.id.clone(), value(item)))
            })
            .collect();
        for (decision, item, value) in due {
            let _ = self.learn(&decision, &item, value, NOT_CLICKED_WEIGHT, now);
        }
    }

    fn reward_click(&mut self, item_id: &str, slot: Option<&str>, now: Millis) {
        let Some(decision) = self.decisions.iter_mut().rev().find(|d| {
            d.slot.as_deref() == slot && d.items.iter().any(|item| item.candidate.id == item_id)
        }) else {
            return;
        };
        let decision_id = decision.id.clone();
        let skipped: Vec<String> = decision
            .items
            .iter()
            .take_while(|item| item.candidate.id != item_id)
            .map(|item| item.candidate.id.clone())
            .collect();
        if let Some(item) = decision
            .items
            .iter_mut()
            .find(|i| i.candidate.id == item_id)
        {
            item.clicked = true;
        }
        let _ = self.learn(&decision_id, item_id, 1.0, 1.0, now);
        for id in skipped {
            let _ = self.learn(&decision_id, &id, 0.0, SKIPPED_WEIGHT, now);
        }
    }
}

/// Affinities relative to the strongest (which becomes 1). Raw affinities grow with every
/// click, and as features they would make the model's uncertainty about every candidate grow
/// with them, so that an engaged visitor would see more and more exploration.
fn relative(mut affinities: Vec<(String, f64)>) -> Vec<(String, f64)> {
    let strongest = affinities.iter().map(|(_, a)| *a).fold(0.0, f64::max);
    if strongest > 0.0 {
        for (_, affinity) in &mut affinities {
            *affinity /= strongest;
        }
    }
    affinities
}

/// A request's candidates by id, with their place in the server's order, for finding the few
/// shown ones among up to 10,000.
struct CandidatesById<'a>(std::collections::HashMap<&'a str, (usize, &'a Candidate)>);

impl<'a> CandidatesById<'a> {
    fn new(request: &'a RankRequest) -> Self {
        CandidatesById(
            request
                .candidates
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.as_str(), (i, c)))
                .collect(),
        )
    }

    fn get(&self, id: &str) -> Option<(usize, &'a Candidate)> {
        self.0.get(id).copied()
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// The log entry of a decision: its context and the candidates it showed, in order.
fn logged(
    decision: &Decision,
    request: &RankRequest,
    by_id: &CandidatesById<'_>,
    now: Millis,
) -> LoggedDecision {
    let actions = decision
        .items
        .iter()
        .take(crate::log::MAX_LOGGED_ACTIONS)
        .filter_map(|item| by_id.get(&item.id).map(|(_, c)| c.clone()))
        .collect();
    LoggedDecision {
        id: decision.decision_id.clone(),
        at: now,
        context: request.context.clone(),
        actions,
        probability: decision.items.first().map_or(1.0, |i| i.probability),
        reward: None,
    }
}

#[cfg(test)]
#[path = "personalize_merge_tests.rs"]
mod merge_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bandit::Params;
    use crate::value::from_json;

    fn personalization() -> Personalization {
        let params = Params::default()
            .validate()
            .expect("the default parameters are valid");
        Personalization::new(
            &params,
            ProfileConfig::default(),
            SegmentDefs::default(),
            7,
            DEFAULT_NO_CLICK_WINDOW_MS,
        )
    }

    fn request() -> RankRequest {
        RankRequest::parse(from_json(
            r#"{"slot":"feed","candidates":[
                {"id":"a","tags":["politics"],"score":0.9},
                {"id":"b","tags":["sports"],"score":0.5},
                {"id":"c","tags":["food"],"score":0.1}],
               "context":{"page":"home"}}"#,
        ))
        .expect("the test request is valid")
    }

    fn order(decision: &Decision) -> Vec<&str> {
        decision.items.iter().map(|i| i.id.as_str()).collect()
    }

    #[test]
    fn with_nothing_learned_the_servers_order_stands() {
        let mut p = personalization();
        let decision = p.rank(request(), None, "d0".into(), Millis(0));
        assert_eq!(order(&decision), ["a", "b", "c"]);
        assert!(!decision.personalized);
        assert_eq!(decision.reason, Some(NotPersonalizedReason::ColdStart));
    }

    #[test]
    fn rewards_move_the_rewarded_item_to_the_top() {
        let mut p = personalization();
        for round in 0..30u64 {
            let id = format!("d{round}");
            let decision = p.rank(request(), Some((10.0, 2.0)), id.clone(), Millis(round));
            for item in &decision.items {
                let value = if item.id == "b" { 1.0 } else { 0.0 };
                assert_eq!(p.reward(&id, &item.id, value, Millis(round)), Ok(true));
            }
        }
        let decision = p.rank(request(), Some((10.0, 2.0)), "last".into(), Millis(100));
        assert!(decision.personalized);
        assert_eq!(decision.policy, "linucb");
        assert_eq!(order(&decision)[0], "b");
        assert!(decision
            .items
            .iter()
            .all(|i| i.probability > 0.0 && i.probability <= 1.0));
    }

    #[test]
    fn a_boost_lifts_an_item_the_model_ranks_low_and_is_explained() {
        let mut p = personalization();
        for round in 0..20u64 {
            let id = format!("d{round}");
            let decision = p.rank(request(), None, id.clone(), Millis(round));
            for item in &decision.items {
                let value = if item.id == "a" { 1.0 } else { 0.0 };
                p.reward(&id, &item.id, value, Millis(round)).expect("open");
            }
        }
        let boosted = RankRequest::parse(from_json(
            r#"{"slot":"feed","candidates":[
                {"id":"a","tags":["politics"],"score":0.9},
                {"id":"b","tags":["sports"],"score":0.5},
                {"id":"c","tags":["food"],"score":0.1}],
               "context":{"page":"home"},"rules":{"boost":[{"id":"c","by":5}]}}"#,
        ))
        .expect("valid");
        let decision = p.rank(boosted, None, "boosted".into(), Millis(100));
        assert_eq!(order(&decision)[0], "c");
        assert!(decision.items[0].reasons.contains(&crate::request::BOOSTED));
        let plain = p.rank(request(), None, "plain".into(), Millis(101));
        assert_eq!(order(&plain)[0], "a");
    }

    #[test]
    fn with_graded_dwell_an_unclicked_item_earns_its_share_of_half_a_click() {
        let mut p = personalization();
        p.grade_dwell(Some(10_000));
        p.rank(request(), None, "d1".into(), Millis(0));
        let seen = |id: &str| Event::Impression {
            at: Millis(1_000),
            item_id: id.into(),
            slot: Some("feed".into()),
            tags: Vec::new(),
        };
        let dwell = |id: &str, ms: u64| Event::Dwell {
            at: Millis(5_000),
            item_id: id.into(),
            slot: Some("feed".into()),
            visible_ms: ms,
        };
        p.observe(&[seen("a"), seen("b"), seen("c")], None, Millis(1_000));
        p.observe(
            &[dwell("a", 4_000), dwell("b", 30_000)],
            None,
            Millis(5_000),
        );
        p.observe(&[], None, Millis(1_000 + DEFAULT_NO_CLICK_WINDOW_MS));
        let rewards: Vec<Option<f64>> = p.log().decisions().map(|d| d.reward).collect();
        assert_eq!(
            rewards,
            [Some(0.2)],
            "the logged first item, a: 0.5 × 4 s / 10 s"
        );
        assert_eq!(
            p.rewards_learned(),
            3,
            "a, b (capped at 0.5) and c (no dwell: 0)"
        );
    }

    #[test]
    fn a_visitor_who_keeps_choosing_one_topic_keeps_seeing_it_first() {
        // Affinities grow with every click; as raw features they inflated the uncertainty of
        // every other candidate until LinUCB explored those instead (the topic vanished).
        let mut p = personalization();
        let candidates = r#"{"slot":"feed","limit":4,"candidates":[
            {"id":"p1","tags":["politics"],"score":0.9},{"id":"s1","tags":["sports"],"score":0.8},
            {"id":"f1","tags":["food"],"score":0.7},{"id":"s2","tags":["sports"],"score":0.6},
            {"id":"t1","tags":["travel"],"score":0.5},{"id":"c1","tags":["culture"],"score":0.4}]}"#;
        for round in 0..40u64 {
            let request = RankRequest::parse(from_json(candidates)).expect("valid");
            let decision = p.rank(request, None, format!("d{round}"), Millis(round * 1_000));
            let sports = decision.items.iter().find(|i| i.id.starts_with('s'));
            let Some(chosen) = sports else {
                panic!(
                    "round {round}: no sports story shown: {:?}",
                    order(&decision)
                );
            };
            let item =
                crate::event::Item::new(&chosen.id, ["sports"], Some("feed")).expect("valid");
            let at = Millis(round * 1_000 + 500);
            p.observe(&[Event::item_click(at, item)], None, at);
        }
        let request = RankRequest::parse(from_json(candidates)).expect("valid");
        let last = p.rank(request, None, "last".into(), Millis(50_000));
        let top: Vec<&str> = order(&last).into_iter().take(2).collect();
        assert!(top.iter().all(|id| id.starts_with('s')), "{top:?}");
    }

    #[test]
    fn a_reward_counts_once_and_needs_an_open_decision_and_a_shown_item() {
        let mut p = personalization();
        p.rank(request(), None, "d1".into(), Millis(0));
        assert_eq!(p.reward("d1", "b", 1.0, Millis(1)), Ok(true));
        assert_eq!(p.reward("d1", "b", 1.0, Millis(2)), Ok(false));
        assert_eq!(
            p.reward("d1", "zz", 1.0, Millis(2)),
            Err(RewardRefusal::UnknownItem)
        );
        assert_eq!(
            p.reward("nope", "b", 1.0, Millis(2)),
            Err(RewardRefusal::UnknownDecision)
        );
        assert_eq!(
            p.reward("d1", "a", 1.0, Millis(DECISION_TTL_MS + 10)),
            Err(RewardRefusal::UnknownDecision)
        );
        assert_eq!(p.rewards_learned(), 1);
    }

    #[test]
    fn a_click_on_a_ranked_item_is_a_reward_and_feeds_the_profile() {
        let mut p = personalization();
        p.rank(request(), None, "d1".into(), Millis(0));
        let item = crate::event::Item::new("b", ["sports"], Some("feed")).expect("a valid item");
        p.observe(&[Event::item_click(Millis(5), item)], None, Millis(5));
        assert_eq!(
            p.rewards_learned(),
            2,
            "1 for b, 0 for a, which was above it"
        );
        assert_eq!(
            p.reward("d1", "a", 1.0, Millis(6)),
            Ok(false),
            "a was judged as skipped"
        );
        assert_eq!(
            p.reward("d1", "c", 0.0, Millis(6)),
            Ok(true),
            "c, below, was not judged"
        );
        assert!(p.profile().affinity("sports", Millis(5)) > 0.0);
        assert_eq!(
            p.reward("d1", "b", 1.0, Millis(6)),
            Ok(false),
            "the click already rewarded it"
        );
    }

    #[test]
    fn an_exported_model_imported_elsewhere_ranks_the_same() {
        let mut trained = personalization();
        for round in 0..20u64 {
            let id = format!("d{round}");
            let decision = trained.rank(request(), None, id.clone(), Millis(round));
            for item in &decision.items {
                let value = if item.id == "c" { 1.0 } else { 0.0 };
                let _ = trained.reward(&id, &item.id, value, Millis(round));
            }
        }
        let json = serde_json::to_string(&trained.export_model()).unwrap();
        let mut fresh = personalization();
        fresh.import_model(from_json(&json)).unwrap();
        assert_eq!(fresh.rewards_learned(), trained.rewards_learned());
        let here = trained.rank(request(), None, "x".into(), Millis(50));
        let there = fresh.rank(request(), None, "y".into(), Millis(50));
        assert_eq!(order(&here), order(&there));
        assert_eq!(order(&there)[0], "c");
        assert!(fresh.import_model(from_json(r#"{"version":99}"#)).is_err());
    }

    #[test]
    fn rules_hold_in_personalized_decisions_and_the_logged_first_item_is_exact() {
        let mut p = personalization();
        let decision = p.rank(request(), None, "d0".into(), Millis(0));
        p.reward("d0", &decision.items[0].id, 1.0, Millis(0))
            .unwrap();
        let with_rules = RankRequest::parse(from_json(
            r#"{"slot":"feed","candidates":[
                {"id":"a","tags":["politics"],"score":0.9},
                {"id":"b","tags":["sports"],"score":0.5},
                {"id":"c","tags":["food"],"score":0.1}],
               "rules":{"exclude":["a"],"sponsored":[{"id":"c","position":1}]}}"#,
        ))
        .expect("the test request is valid");
        let decision = p.rank(with_rules, None, "d1".into(), Millis(1));
        assert!(decision.personalized);
        assert_eq!(order(&decision), ["c", "b"]);
        assert_eq!(decision.items[0].reasons, ["sponsored"]);
        assert_eq!(decision.items[0].probability, 1.0);
        let logged = p.log().decisions().last().expect("logged");
        assert_eq!(logged.actions[0].id, "c");
        assert_eq!(logged.probability, 1.0);
    }

    #[test]
    fn an_impression_without_a_click_within_the_window_earns_zero() {
        let mut p = personalization();
        p.rank(request(), None, "d1".into(), Millis(0));
        let seen = |id: &str, at: u64| {
            let item = crate::event::Item::new(id, ["x"], Some("feed")).expect("a valid item");
            Event::impression(Millis(at), &item)
        };
        p.observe(&[seen("a", 1_000), seen("b", 1_000)], None, Millis(1_000));
        let click = crate::event::Item::new("b", ["sports"], Some("feed")).expect("a valid item");
        p.observe(
            &[Event::item_click(Millis(5_000), click)],
            None,
            Millis(5_000),
        );
        assert_eq!(p.rewards_learned(), 2, "b clicked, a skipped above it");
        p.rank(request(), None, "d2".into(), Millis(6_000));
        p.observe(&[seen("c", 6_000)], None, Millis(6_000));
        p.observe(&[], None, Millis(6_000 + DEFAULT_NO_CLICK_WINDOW_MS - 1));
        assert_eq!(p.rewards_learned(), 2, "not yet");
        p.observe(&[], None, Millis(6_000 + DEFAULT_NO_CLICK_WINDOW_MS));
        assert_eq!(p.rewards_learned(), 3, "c was seen and not clicked");
        assert_eq!(p.reward("d2", "c", 1.0, Millis(40_000)), Ok(false));
    }

    #[test]
    fn a_skipped_item_learns_a_lighter_zero_and_items_below_a_click_are_not_judged() {
        let mut p = personalization();
        p.rank(request(), None, "d1".into(), Millis(0));
        let item = |id: &str| crate::event::Item::new(id, ["x"], Some("feed")).expect("valid");
        let seen: Vec<Event> = ["a", "b", "c"]
            .iter()
            .map(|id| Event::impression(Millis(1_000), &item(id)))
            .collect();
        p.observe(&seen, None, Millis(1_000));
        p.observe(
            &[Event::item_click(Millis(2_000), item("b"))],
            None,
            Millis(2_000),
        );
        let weights: Vec<f64> = p
            .journal
            .changes()
            .filter_map(|c| match c {
                Change::Reward { feedback, .. } => Some(feedback.weight),
                _ => None,
            })
            .collect();
        assert_eq!(weights, [1.0, SKIPPED_WEIGHT], "b clicked, a passed over");
        p.observe(&[], None, Millis(1_000 + DEFAULT_NO_CLICK_WINDOW_MS));
        assert_eq!(p.rewards_learned(), 2, "c, below the click, earns nothing");
        assert_eq!(p.reward("d1", "c", 1.0, Millis(40_000)), Ok(true));
    }

    #[test]
    fn the_site_order_holds_among_items_nothing_learned_sets_apart() {
        let mut p = personalization();
        // No scores: the order itself is what the site says.
        let four = r#"{"slot":"feed","candidates":[{"id":"a","tags":["politics"]},
            {"id":"b","tags":["sports"]},{"id":"c","tags":["food"]},{"id":"d","tags":["travel"]}]}"#;
        let parse = || RankRequest::parse(from_json(four)).expect("valid");
        p.rank(parse(), None, "d0".into(), Millis(0));
        p.reward("d0", "d", 1.0, Millis(1)).expect("open");
        let decision = p.rank(parse(), None, "d1".into(), Millis(2));
        assert!(decision.personalized);
        let others: Vec<&str> = order(&decision)
            .into_iter()
            .filter(|id| *id != "d")
            .collect();
        assert_eq!(others, ["a", "b", "c"]);
    }

    #[test]
    fn explanations_say_what_placed_each_item() {
        let mut p = personalization();
        for round in 0..30u64 {
            let id = format!("d{round}");
            let decision = p.rank(request(), None, id.clone(), Millis(round));
            for item in &decision.items {
                let value = if item.id == "b" { 1.0 } else { 0.0 };
                p.reward(&id, &item.id, value, Millis(round)).expect("open");
            }
        }
        let decision = p.rank(request(), None, "last".into(), Millis(100));
        assert_eq!(order(&decision)[0], "b");
        assert_eq!(decision.items[0].reasons, ["matches your interests"]);
        assert_eq!(decision.items[1].reasons, [ranking::SITE_ORDER]);
        assert_eq!(
            ranking::explain(0.0, 0.1, 1.0),
            ["exploring: shown to learn what you like"],
            "an item the model knows little about"
        );
    }

    #[test]
    fn open_decisions_are_bounded() {
        let mut p = personalization();
        for i in 0..(MAX_OPEN_DECISIONS + 10) {
            p.rank(request(), None, format!("d{i}"), Millis(0));
        }
        assert_eq!(p.decisions.len(), MAX_OPEN_DECISIONS);
        assert_eq!(
            p.reward("d0", "a", 1.0, Millis(0)),
            Err(RewardRefusal::UnknownDecision)
        );
    }
}
