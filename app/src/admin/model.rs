//! What the admin pages show.

use crate::users::model::Role;
use serde::{Deserialize, Serialize};

/// A user as the admin list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UserSummary {
    /// User id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Sign-in email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// When the user was disabled, if they were.
    pub disabled_at: Option<String>,
    /// Whether the user has a password (demo CSMs and imported owners may not).
    pub can_sign_in: bool,
    /// Accounts owned.
    pub accounts: i64,
}

/// An API token as the admin list shows it (never the token itself).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TokenSummary {
    /// Token id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Role it acts with.
    pub role: Role,
    /// When it was created.
    pub created_at: String,
    /// When it was last used, if ever.
    pub last_used_at: Option<String>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEvent {
    /// Event id.
    pub id: i64,
    /// When (UTC).
    pub at: String,
    /// `user`, `token` or `system`.
    pub actor_kind: String,
    /// Who.
    pub actor_name: String,
    /// What, e.g. `user.signed_in`.
    pub action: String,
    /// The kind of object changed.
    pub object_type: String,
    /// Which object.
    pub object_id: Option<String>,
    /// JSON summary of the change.
    pub summary: String,
}

/// Rows per page of the audit log.
pub const AUDIT_PAGE_SIZE: i64 = 50;

/// Filters of the audit log page, read from the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Text found in the actor's name.
    pub actor: String,
    /// Action prefix, e.g. `user.` or `user.signed_in`.
    pub action: String,
    /// Object type, e.g. `user`.
    pub object_type: String,
    /// First day (YYYY-MM-DD), inclusive.
    pub from: String,
    /// Last day (YYYY-MM-DD), inclusive.
    pub to: String,
    /// Page from 1.
    pub page: i64,
}

impl AuditQuery {
    /// Reads the filters from URL parameters; malformed dates are dropped rather than refused,
    /// since they only narrow a list.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |key: &str| {
            get(key)
                .unwrap_or_default()
                .trim()
                .chars()
                .take(100)
                .collect::<String>()
        };
        let day = |key: &str| {
            let value = text(key);
            value
                .parse::<chrono::NaiveDate>()
                .map(|_| value)
                .unwrap_or_default()
        };
        Self {
            actor: text("actor"),
            action: text("action"),
            object_type: text("object_type"),
            from: day("from"),
            to: day("to"),
            page: get("page")
                .and_then(|p| p.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
        }
    }

    /// The same filters on another page, as a URL query string.
    pub fn page_link(&self, page: i64) -> String {
        use crate::components::format::url_component;
        format!(
            "?actor={}&action={}&object_type={}&from={}&to={}&page={page}",
            url_component(&self.actor),
            url_component(&self.action),
            url_component(&self.object_type),
            url_component(&self.from),
            url_component(&self.to),
        )
    }
}

/// One page of the audit log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    /// Events, newest first.
    pub items: Vec<AuditEvent>,
    /// Matching events in all.
    pub total: i64,
}

#[cfg(test)]
mod tests {
    use super::AuditQuery;

    #[test]
    fn audit_filters_drop_malformed_dates_and_pages() {
        let query = AuditQuery::from_params(|k| match k {
            "actor" => Some(" Ada ".into()),
            "from" => Some("2026-13-01".into()),
            "to" => Some("2026-12-04".into()),
            "page" => Some("-3".into()),
            _ => None,
        });
        assert_eq!(query.actor, "Ada");
        assert_eq!(query.from, "");
        assert_eq!(query.to, "2026-12-04");
        assert_eq!(query.page, 1);
    }
}

/// What the admin page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminData {
    /// The signed-in admin's id (their own row offers no "Disable").
    pub me: i64,
    /// Every user, by name.
    pub users: Vec<UserSummary>,
    /// Every API token, newest first.
    pub tokens: Vec<TokenSummary>,
}
