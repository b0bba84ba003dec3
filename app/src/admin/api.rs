//! Server functions of the admin pages: admins only.

use super::model::{AuditPage, AuditQuery, TokenSummary, UserSummary};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Users and API tokens, for the admin page.
#[server]
pub async fn admin_overview() -> Result<(Vec<UserSummary>, Vec<TokenSummary>), AppError> {
    crate::auth::authorize(crate::users::model::Permission::Administer)?;
    let db = crate::db::use_db()?;
    Ok((
        super::db::users(&db.read).await?,
        super::db::tokens(&db.read).await?,
    ))
}

/// One page of the audit log.
#[server(input = Json)]
pub async fn list_audit(query: AuditQuery) -> Result<AuditPage, AppError> {
    crate::auth::authorize(crate::users::model::Permission::Administer)?;
    let db = crate::db::use_db()?;
    super::db::audit(&db.read, &query).await
}
