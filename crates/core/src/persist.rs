//! What one tab changed since it last wrote its state: replayed onto what another tab wrote
//! in between, so that tabs writing the same stored state never lose each other's updates.
//!
//! The stored household and model are written whole. A tab that finds, when it writes, that
//! another tab wrote since it last read (the stored revision moved) reads the newer state and
//! replays its own [`Journal`] onto it, then writes the result. The journal is cleared up to
//! what a write carried, only once that write succeeded.

use crate::bandit::{Feedback, KeyedFeatures};
use crate::event::{Event, SessionState};

/// Most changes a journal holds between writes; past it the oldest are dropped (a tab that
/// could not write for that long keeps its own state, and only a concurrent writer's state
/// can then lose those changes). Writes happen every few seconds, so this is far above need.
pub const MAX_JOURNAL_CHANGES: usize = 5_000;

/// One change to the stored state.
#[derive(Debug, Clone)]
pub enum Change {
    /// An event folded into the named profile.
    Event {
        /// The profile it was folded into.
        profile: String,
        /// The event.
        event: Event,
    },
    /// The session state taken into the named profile.
    Session {
        /// The profile it was taken into.
        profile: String,
        /// The session.
        session: SessionState,
    },
    /// A reward learned by the model.
    Reward {
        /// The rewarded item's features.
        features: KeyedFeatures,
        /// What the model learned: the reward beyond the item's prior, its weight and time.
        feedback: Feedback,
    },
    /// The model was replaced (`model.import`): this tab's model wins over the stored one.
    ModelReplaced,
    /// `profile.use(name)`.
    UseProfile(String),
    /// `profile.remove(name)`.
    RemoveProfile(String),
}

/// Where a write's changes end, to clear them once it succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalMark {
    journal: u64,
    position: u64,
}

/// The changes since the last successful write, in order.
#[derive(Debug)]
pub struct Journal {
    /// Which journal this is: a mark taken from another (one that was dropped with its
    /// state, e.g. by an erase) clears nothing here.
    id: u64,
    changes: std::collections::VecDeque<Change>,
    /// Changes ever recorded before the first one kept (cleared or dropped).
    cleared: u64,
}

impl Default for Journal {
    fn default() -> Self {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Journal {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            changes: std::collections::VecDeque::new(),
            cleared: 0,
        }
    }
}

impl Journal {
    /// Records a change.
    pub fn record(&mut self, change: Change) {
        // Only the latest session state matters: replace rather than pile up.
        if let Change::Session { profile, .. } = &change {
            let same = |c: &Change| matches!(c, Change::Session { profile: p, .. } if p == profile);
            if self.changes.back().is_some_and(same) {
                self.changes.pop_back();
                self.changes.push_back(change);
                return;
            }
        }
        if self.changes.len() == MAX_JOURNAL_CHANGES {
            self.changes.pop_front();
            self.cleared += 1;
        }
        self.changes.push_back(change);
    }

    /// The changes not yet written, oldest first.
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter()
    }

    /// Whether a waiting change is to the profiles (so the household must be written).
    pub fn touches_profiles(&self) -> bool {
        self.changes.iter().any(|c| {
            matches!(
                c,
                Change::Event { .. }
                    | Change::Session { .. }
                    | Change::UseProfile(_)
                    | Change::RemoveProfile(_)
            )
        })
    }

    /// Whether a waiting change is to the model (so the model must be written).
    pub fn touches_model(&self) -> bool {
        self.changes
            .iter()
            .any(|c| matches!(c, Change::Reward { .. } | Change::ModelReplaced))
    }

    /// Whether anything changed since the last write.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many changes are waiting.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// The end of what a write about to start carries.
    pub fn mark(&self) -> JournalMark {
        JournalMark {
            journal: self.id,
            position: self.cleared + self.changes.len() as u64,
        }
    }

    /// A write that carried everything up to `mark` succeeded: those changes are stored.
    pub fn written(&mut self, mark: JournalMark) {
        if mark.journal != self.id {
            return;
        }
        while self.cleared < mark.position && self.changes.pop_front().is_some() {
            self.cleared += 1;
        }
    }

    /// Forgets everything (the stored state was erased).
    pub fn clear(&mut self) {
        self.cleared += self.changes.len() as u64;
        self.changes.clear();
    }
}

/// The key of a time-ordered record (a decision or a captured event): the time in
/// milliseconds, zero-padded to 16 digits so that key order is time order, then `id`.
pub fn timed_key(at: crate::time::Millis, id: &str) -> String {
    format!("{:016}:{id}", at.0)
}

/// The first key [`timed_key`] can give at `at`: records keyed before it are older.
pub fn timed_key_floor(at: crate::time::Millis) -> String {
    format!("{:016}:", at.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Millis;

    #[test]
    fn timed_keys_sort_by_time() {
        let early = timed_key(Millis(999), "z");
        let late = timed_key(Millis(1_000), "a");
        assert!(early < late);
        assert!(early < timed_key_floor(Millis(1_000)));
        assert!(timed_key_floor(Millis(1_000)) <= late);
        assert_eq!(
            timed_key(Millis(1_733_325_000_000), "ab"),
            "0001733325000000:ab"
        );
    }

    fn reward(value: f64) -> Change {
        Change::Reward {
            features: KeyedFeatures::default(),
            feedback: Feedback::new(value),
        }
    }

    #[test]
    fn a_write_clears_only_what_it_carried() {
        let mut journal = Journal::default();
        journal.record(reward(1.0));
        journal.record(reward(2.0));
        let mark = journal.mark();
        journal.record(reward(3.0));
        journal.written(mark);
        assert_eq!(journal.len(), 1);
        assert!(
            matches!(journal.changes().next(), Some(Change::Reward { feedback, .. }) if feedback.reward == 3.0)
        );
        journal.written(mark);
        assert_eq!(journal.len(), 1, "a mark clears once");
        journal.written(journal.mark());
        assert!(journal.is_empty());
    }

    #[test]
    fn a_mark_from_another_journal_clears_nothing() {
        let old = Journal::default();
        let mark = old.mark();
        let mut new = Journal::default();
        new.record(reward(1.0));
        new.written(mark);
        assert_eq!(new.len(), 1);
    }

    #[test]
    fn the_journal_is_bounded_and_marks_survive_dropping() {
        let mut journal = Journal::default();
        let start = journal.mark();
        for i in 0..MAX_JOURNAL_CHANGES + 5 {
            journal.record(reward(i as f64));
        }
        assert_eq!(journal.len(), MAX_JOURNAL_CHANGES);
        journal.written(start);
        assert_eq!(journal.len(), MAX_JOURNAL_CHANGES);
        let mark = journal.mark();
        journal.record(reward(0.0));
        journal.written(mark);
        assert_eq!(journal.len(), 1);
    }
}
