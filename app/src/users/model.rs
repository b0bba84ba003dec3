//! Roles and the signed-in user, shared by server and browser.

use serde::{Deserialize, Serialize};

/// What a user may do (DESIGN.md, "User").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "TEXT", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users, tokens, settings; reads and edits everything.
    Admin,
    /// Reads everything.
    Leader,
    /// Reads all accounts, edits the accounts they own.
    Csm,
    /// Enters review notes and assessments on pilot accounts.
    Pilot,
    /// Reads dashboards and reports.
    Viewer,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 5] = [
        Self::Admin,
        Self::Leader,
        Self::Csm,
        Self::Pilot,
        Self::Viewer,
    ];

    /// The value used in the database, the CLI and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Leader => "leader",
            Self::Csm => "csm",
            Self::Pilot => "pilot",
            Self::Viewer => "viewer",
        }
    }

    /// The role named `value` (as in [`Role::as_str`]).
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == value)
    }
}

/// The user a request acts for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CurrentUser {
    /// User id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Sign-in email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// True when the request carries an API token rather than a user's session; `id` and `name`
    /// are then the token's.
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub via_token: bool,
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn every_role_parses_from_its_own_name_and_nothing_else_does() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("Admin"), None);
        assert_eq!(Role::parse("root"), None);
    }
}
