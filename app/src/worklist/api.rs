//! Server function for the worklist.

use super::model::Worklist;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The worklist of `owner_id`; without one, a CSM's own, a pilot user's the pilot cohort's
/// (others are asked to pick).
#[server(input = Json)]
pub async fn get_worklist(owner_id: Option<i64>) -> Result<Worklist, AppError> {
    use super::model::Scope;
    use crate::users::model::{Role, PILOT_COHORT};
    let user = crate::auth::authorize(crate::users::model::Permission::ReadAccounts)?;
    let db = crate::db::use_db()?;
    let mut conn = db.read.acquire().await?;
    let owners = crate::accounts::db::owners(&mut conn).await?;
    let owner_id = owner_id.or((user.role == Role::Csm && !user.via_token).then_some(user.id));
    let owner = match owner_id {
        Some(id) => Some(
            owners
                .iter()
                .find(|(owner, _)| *owner == id)
                .cloned()
                .ok_or_else(|| AppError::invalid("owner", "is not a CSM or account owner"))?,
        ),
        None => None,
    };
    let cohort = (owner.is_none() && user.role == Role::Pilot).then(|| PILOT_COHORT.to_string());
    let scope = match (&owner, &cohort) {
        (Some((id, _)), _) => Some(Scope::Owner(*id)),
        (None, Some(cohort)) => Some(Scope::Cohort(cohort.clone())),
        (None, None) => None,
    };
    let today = chrono::Utc::now().date_naive();
    let groups = match scope {
        Some(scope) => {
            let rules = crate::settings::db::rules(&mut conn).await?;
            super::db::groups(&mut conn, &scope, &rules, today).await?
        }
        None => Vec::new(),
    };
    Ok(Worklist {
        as_of: today,
        owner,
        cohort,
        owners,
        groups,
    })
}
