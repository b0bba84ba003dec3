//! Settings of the rules (DESIGN.md): grace, staleness and onboarding periods.

#[cfg(feature = "ssr")]
pub mod db;

use serde::{Deserialize, Serialize};

/// The periods the rules are computed with, in days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    /// Days after the cadence before an account stops being on schedule.
    pub grace_days: i64,
    /// Days without a revision or a counting assessment after which a current outcome is stale.
    pub stale_after_days: i64,
    /// Days after its start by which a new account should have a current outcome.
    pub onboarding_days: i64,
}

impl Default for Rules {
    /// DESIGN.md's defaults.
    fn default() -> Self {
        Self {
            grace_days: 14,
            stale_after_days: 120,
            onboarding_days: 30,
        }
    }
}
