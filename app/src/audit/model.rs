//! Who acts on Keystone, as the audit log records it.

use serde::{Deserialize, Serialize};

/// What kind of actor made a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "TEXT", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// A signed-in user.
    User,
    /// An API token.
    Token,
    /// Keystone itself: the command line, migrations, the demo.
    System,
}

/// The actor of a change: its kind, id and name at the time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// User, token or system.
    pub kind: ActorKind,
    /// The user's or token's id; none for the system.
    pub id: Option<i64>,
    /// Name shown in the log.
    pub name: String,
}

impl Actor {
    /// The user with `id` and `name`.
    pub fn user(id: i64, name: &str) -> Self {
        Self {
            kind: ActorKind::User,
            id: Some(id),
            name: name.to_string(),
        }
    }

    /// The signed-in user or API token behind a request.
    pub fn of(principal: &crate::users::model::CurrentUser) -> Self {
        Self {
            kind: if principal.via_token {
                ActorKind::Token
            } else {
                ActorKind::User
            },
            id: Some(principal.id),
            name: principal.name.clone(),
        }
    }

    /// Keystone itself, acting through `what` (e.g. "keystone demo").
    pub fn system(what: &str) -> Self {
        Self {
            kind: ActorKind::System,
            id: None,
            name: what.to_string(),
        }
    }
}
