//! Sign-in throttling: after a few failures, each further attempt for the same account or from
//! the same address must wait, twice as long each time, up to a minute. There is no lockout: a
//! legitimate user can always sign in after the wait, so an attacker cannot lock anyone out.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// Failures allowed before any wait.
const FREE_FAILURES: u32 = 5;
/// Longest wait between attempts.
const MAX_WAIT: Duration = Duration::from_secs(60);
/// A key with no failure for this long is forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);

#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Failures {
    /// When the next attempt is allowed.
    fn next_allowed(&self) -> Instant {
        if self.count < FREE_FAILURES {
            return self.last;
        }
        let doublings = (self.count - FREE_FAILURES).min(6);
        self.last + Duration::from_secs(1 << doublings).min(MAX_WAIT)
    }
}

/// Failure counts per key (`ip:…` and `account:…`), in memory: a restart forgives everyone.
#[derive(Debug, Default)]
pub struct SignInThrottle {
    failures: Mutex<HashMap<String, Failures>>,
}

impl SignInThrottle {
    /// How long the caller must still wait before trying any of `keys`, if at all.
    pub fn wait(&self, keys: &[String], now: Instant) -> Option<Duration> {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        keys.iter()
            .filter_map(|key| failures.get(key))
            .map(|f| f.next_allowed().saturating_duration_since(now))
            .filter(|wait| !wait.is_zero())
            .max()
    }

    /// Counts a failed attempt against every key.
    pub fn failed(&self, keys: &[String], now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.retain(|_, f| now.saturating_duration_since(f.last) < FORGET_AFTER);
        for key in keys {
            let entry = failures.entry(key.clone()).or_insert(Failures {
                count: 0,
                last: now,
            });
            entry.count += 1;
            entry.last = now;
        }
    }

    /// Forgets the failures of an account that just signed in.
    pub fn succeeded(&self, account_key: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(account_key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_start_after_five_failures_and_double_up_to_a_minute() {
        let throttle = SignInThrottle::default();
        let keys = vec!["account:a@example.com".to_string()];
        let start = Instant::now();
        for _ in 0..4 {
            throttle.failed(&keys, start);
        }
        assert_eq!(
            throttle.wait(&keys, start),
            None,
            "four failures cost nothing"
        );
        throttle.failed(&keys, start);
        assert_eq!(throttle.wait(&keys, start), Some(Duration::from_secs(1)));
        throttle.failed(&keys, start);
        assert_eq!(throttle.wait(&keys, start), Some(Duration::from_secs(2)));
        for _ in 0..10 {
            throttle.failed(&keys, start);
        }
        assert_eq!(throttle.wait(&keys, start), Some(MAX_WAIT));
        assert_eq!(
            throttle.wait(&keys, start + MAX_WAIT),
            None,
            "no lockout beyond the wait"
        );
    }

    #[test]
    fn a_success_forgives_the_account_but_not_the_address() {
        let throttle = SignInThrottle::default();
        let keys = vec![
            "ip:10.0.0.1".to_string(),
            "account:a@example.com".to_string(),
        ];
        let now = Instant::now();
        for _ in 0..6 {
            throttle.failed(&keys, now);
        }
        throttle.succeeded("account:a@example.com");
        assert!(throttle.wait(&keys[1..], now).is_none());
        assert!(throttle.wait(&keys[..1], now).is_some());
    }

    #[test]
    fn old_failures_are_forgotten() {
        let throttle = SignInThrottle::default();
        let keys = vec!["ip:10.0.0.2".to_string()];
        let then = Instant::now();
        for _ in 0..9 {
            throttle.failed(&keys, then);
        }
        throttle.failed(&["ip:other".to_string()], then + FORGET_AFTER);
        assert!(throttle.wait(&keys, then + FORGET_AFTER).is_none());
    }
}
