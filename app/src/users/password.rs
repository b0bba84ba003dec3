//! Password rules and hashing: Argon2id with OWASP's parameters (19 MiB, 2 passes), run off the
//! async runtime because each hash takes tens of milliseconds on purpose.

use std::sync::LazyLock;

/// Shortest password accepted.
pub const MIN_CHARS: usize = 12;
/// Longest password accepted (long passphrases welcome; this only bounds the work per attempt).
pub const MAX_CHARS: usize = 128;

/// Why a new password is refused, or `None` when it is acceptable. No composition rules.
pub fn problem(password: &str) -> Option<String> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        Some(format!("must be at least {MIN_CHARS} characters"))
    } else if chars > MAX_CHARS {
        Some(format!("must be at most {MAX_CHARS} characters"))
    } else {
        None
    }
}

/// The Argon2id hash of `password` (PHC string, salt included).
pub async fn hash(password: String) -> crate::error::AppResult<String> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|error| {
            tracing::error!(%error, "password hashing failed");
            crate::error::AppError::Internal
        })
}

/// A hash to verify against when the email is unknown, so that both cases take as long.
static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| password_auth::generate_hash("keystone decoy password, never valid"));

/// Whether `password` matches `stored` (or, with no stored hash, spends the same time and fails).
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match stored {
        Some(hash) => password_auth::verify_password(&password, &hash).is_ok(),
        None => {
            let _ = password_auth::verify_password(&password, &DECOY_HASH);
            false
        }
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_need_twelve_to_128_characters_and_nothing_else() {
        assert!(problem("short").is_some());
        assert!(problem("exactly 12ch").is_none());
        assert!(problem("alllowercaseletters").is_none());
        assert!(problem(&"é".repeat(128)).is_none());
        assert!(problem(&"a".repeat(129)).is_some());
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery".into()).await.expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), Some(stored.clone())).await);
        assert!(!verify("wrong horse battery".into(), Some(stored)).await);
        assert!(!verify("correct horse battery".into(), None).await);
    }
}
