//! Reading the settings (server only).

use super::Rules;
use crate::error::AppResult;

/// The rules' settings as stored; a missing or unreadable value keeps its default.
pub async fn rules(conn: &mut sqlx::SqliteConnection) -> AppResult<Rules> {
    let stored: Vec<(String, String)> = sqlx::query_as("SELECT key, value FROM settings")
        .fetch_all(conn)
        .await?;
    let mut rules = Rules::default();
    for (key, value) in stored {
        let Ok(days) = value.trim().parse::<i64>() else {
            tracing::warn!(
                key,
                value,
                "setting is not a whole number of days; using its default"
            );
            continue;
        };
        match key.as_str() {
            "grace_days" => rules.grace_days = days,
            "stale_after_days" => rules.stale_after_days = days,
            "onboarding_days" => rules.onboarding_days = days,
            _ => {}
        }
    }
    Ok(rules)
}
