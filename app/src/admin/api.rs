//! Server functions of the admin pages: admins only.

use super::model::{AdminData, AuditPage, AuditQuery};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Users and API tokens, for the admin page.
#[server]
pub async fn admin_overview() -> Result<AdminData, AppError> {
    let admin = crate::auth::authorize(crate::users::model::Permission::Administer)?;
    let db = crate::db::use_db()?;
    Ok(AdminData {
        me: admin.id,
        users: super::db::users(&db.read).await?,
        tokens: super::db::tokens(&db.read).await?,
    })
}

/// One page of the audit log.
#[server(input = Json)]
pub async fn list_audit(query: AuditQuery) -> Result<AuditPage, AppError> {
    crate::auth::authorize(crate::users::model::Permission::Administer)?;
    let db = crate::db::use_db()?;
    super::db::audit(&db.read, &query).await
}

/// Creates a user who signs in with the given initial password; answers with the admin page.
#[server]
pub async fn add_user(
    email: String,
    name: String,
    role: String,
    password: String,
) -> Result<String, AppError> {
    use crate::users::create::{create_user, NewUser};
    let admin = crate::auth::authorize(crate::users::model::Permission::Administer)?;
    let db = crate::db::use_db()?;
    let user = NewUser {
        email,
        name,
        role,
        password,
    };
    let id = create_user(&db, user, &crate::audit::model::Actor::of(&admin)).await?;
    Ok(format!("/admin?added={id}"))
}

/// Changes a user's role.
#[server]
pub async fn set_user_role(user_id: i64, role: String) -> Result<(), AppError> {
    use crate::users::model::{Permission, Role};
    let admin = crate::auth::authorize(Permission::Administer)?;
    let role = Role::parse(&role).ok_or_else(|| AppError::invalid("role", "is not a role"))?;
    if user_id == admin.id && !admin.via_token && role != Role::Admin {
        return Err(AppError::invalid(
            "role",
            "you cannot take away your own admin role",
        ));
    }
    let db = crate::db::use_db()?;
    let mut tx = db.begin_write().await?;
    tx.changes_no_metrics();
    if !super::db::set_role(&mut tx, user_id, role).await? {
        return Err(AppError::NotFound("user".into()));
    }
    let id = user_id.to_string();
    crate::audit::db::record(
        &mut tx,
        &crate::audit::model::Actor::of(&admin),
        "user.role_changed",
        ("user", Some(&id)),
        &serde_json::json!({"role": {"new": role.as_str()}}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Disables a user: their sessions end at once and they cannot sign in.
#[server]
pub async fn disable_user(user_id: i64) -> Result<(), AppError> {
    use crate::users::model::Permission;
    let admin = crate::auth::authorize(Permission::Administer)?;
    if user_id == admin.id && !admin.via_token {
        return Err(AppError::invalid("user_id", "you cannot disable yourself"));
    }
    let db = crate::db::use_db()?;
    let now = crate::db::now_timestamp();
    let mut tx = db.begin_write().await?;
    tx.changes_no_metrics();
    if !super::db::disable(&mut tx, user_id, &now).await? {
        return Err(AppError::NotFound("enabled user".into()));
    }
    let id = user_id.to_string();
    crate::audit::db::record(
        &mut tx,
        &crate::audit::model::Actor::of(&admin),
        "user.disabled",
        ("user", Some(&id)),
        &serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Revokes an API token: calls with it are refused at once.
#[server]
pub async fn revoke_token(token_id: i64) -> Result<(), AppError> {
    use crate::users::model::Permission;
    let admin = crate::auth::authorize(Permission::Administer)?;
    let db = crate::db::use_db()?;
    let now = crate::db::now_timestamp();
    let mut tx = db.begin_write().await?;
    tx.changes_no_metrics();
    if !super::db::revoke_token(&mut tx, token_id, &now).await? {
        return Err(AppError::NotFound("live token".into()));
    }
    let id = token_id.to_string();
    crate::audit::db::record(
        &mut tx,
        &crate::audit::model::Actor::of(&admin),
        "token.revoked",
        ("api_token", Some(&id)),
        &serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
