//! The pure core of one Hearth instance: options, consent and ranking, with no browser in it.
//!
//! The browser layer owns one `Engine` per `Hearth.init`, hands it time and entropy as
//! values, and converts what it returns into JavaScript.

use crate::consent::{ConsentState, Purpose};
use crate::options::ValidOptions;
use crate::rank::{self, Decision, NotPersonalizedReason, RankRequest};
use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// One instance's state.
#[derive(Debug)]
pub struct Engine {
    options: ValidOptions,
    consent: ConsentState,
    /// Decision ids: always seeded from fresh entropy, never from `ranker.seed`, so that a
    /// reproducible ranker still gives ids that do not repeat across page loads.
    id_rng: Xoshiro256PlusPlus,
}

impl Engine {
    /// Starts an instance with every purpose denied.
    pub fn new(options: ValidOptions, entropy: u64) -> Self {
        let consent = ConsentState::undecided(&options.consent.policy_version);
        Engine {
            options,
            consent,
            id_rng: Xoshiro256PlusPlus::seed_from_u64(entropy),
        }
    }

    /// The options this instance was created with.
    pub fn options(&self) -> &ValidOptions {
        &self.options
    }

    /// The visitor's consent now.
    pub fn consent(&self) -> &ConsentState {
        &self.consent
    }

    /// Ranks a validated request.
    pub fn rank(&mut self, request: RankRequest) -> Decision {
        let decision_id = format!("{:016x}", self.id_rng.next_u64());
        let why = if self.consent.allows(Purpose::Personalization) {
            NotPersonalizedReason::ColdStart
        } else {
            NotPersonalizedReason::ConsentRequired
        };
        rank::server_order(request, decision_id, why)
    }
}
