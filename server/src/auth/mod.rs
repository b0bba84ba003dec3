//! Sign-in, sessions and the gate in front of every page and API call.
//!
//! Sessions live in the database; the browser holds a random id in an HttpOnly, SameSite=Lax
//! cookie (Secure with `KEYSTONE_SECURE_COOKIES=true`). Every request passes [`authenticate`]:
//! a valid session puts the [`CurrentUser`] into the request for server functions to read
//! (`app::auth::current_user`); without one, pages redirect to `/login?next=…` and server
//! functions and `/api/` answer 401.

mod db;
mod throttle;
pub mod tokens;

pub use throttle::SignInThrottle;

use crate::router::AppState;
use app::{
    audit::model::Actor,
    components::format::url_component,
    db::{now_timestamp, timestamp},
    users::{model::CurrentUser, password},
};
use axum::{
    body::Body,
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
    Form, Json,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "keystone_session";

/// Session and cookie settings.
#[derive(Clone, Debug)]
pub struct AuthConfig {
    /// Mark the cookie `Secure` (only sent over HTTPS): set behind TLS.
    pub secure_cookies: bool,
    /// A session unused this long ends.
    pub idle_timeout: Duration,
    /// A session this old ends, used or not.
    pub absolute_timeout: Duration,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            idle_timeout: Duration::from_secs(30 * 60),
            absolute_timeout: Duration::from_secs(12 * 60 * 60),
        }
    }
}

/// Paths anyone may reach: the sign-in page, health checks and the static site files.
fn is_public(path: &str) -> bool {
    path == "/login"
        || path == "/healthz"
        || ["/pkg/", "/vendor/", "/favicon"]
            .iter()
            .any(|p| path.starts_with(p))
}

/// Where to go after signing in: a local path only, never another site.
pub fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if local {
        next
    } else {
        "/"
    }
}

/// A new random secret (256 bits, URL-safe base64): session ids and API tokens.
fn new_secret() -> String {
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    URL_SAFE_NO_PAD.encode(raw)
}

/// What is stored of a secret: its SHA-256, so a copy of the database grants nothing.
fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether an activity timestamp is missing or more than a minute old: activity is recorded at
/// most once a minute, so that reads do not queue behind the single writer.
fn older_than_a_minute(seen: Option<&str>) -> bool {
    seen.and_then(|seen| DateTime::parse_from_rfc3339(seen).ok())
        .map(|seen| now_utc().signed_duration_since(seen).num_seconds() >= 60)
        .unwrap_or(true)
}

/// The token of an `Authorization: Bearer …` header, if the request carries one.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(serde_json::json!({"error": "unauthorized", "message": "Sign in or send a valid bearer token."})),
    )
        .into_response()
}

fn session_id_from(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
}

fn now_utc() -> DateTime<Utc> {
    Utc::now()
}

/// Whether a session created at `created` and last used at `last_seen` is still alive at `now`.
fn session_alive(config: &AuthConfig, created: &str, last_seen: &str, now: DateTime<Utc>) -> bool {
    let (Ok(created), Ok(last_seen)) = (
        DateTime::parse_from_rfc3339(created),
        DateTime::parse_from_rfc3339(last_seen),
    ) else {
        return false;
    };
    let age = now
        .signed_duration_since(created)
        .to_std()
        .unwrap_or_default();
    let idle = now
        .signed_duration_since(last_seen)
        .to_std()
        .unwrap_or_default();
    age < config.absolute_timeout && idle < config.idle_timeout
}

/// Looks up the request's token or session; refuses anonymous requests to anything but public
/// paths. A bearer token that is unknown or revoked is refused outright.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    if let Some(token) = bearer_token(request.headers()) {
        return match tokens::authenticate(&state.db, token).await {
            Ok(Some(principal)) => {
                request.extensions_mut().insert(principal);
                next.run(request).await
            }
            Ok(None) => unauthorized(),
            Err(error) => {
                tracing::error!(%error, "token lookup failed");
                StatusCode::SERVICE_UNAVAILABLE.into_response()
            }
        };
    }
    let mut had_session = false;
    if let Some(id) = session_id_from(request.headers()) {
        had_session = true;
        let id_hash = hash_secret(&id);
        match db::session(&state.db.read, &id_hash).await {
            Ok(Some(row)) => {
                let now = now_utc();
                if session_alive(&state.auth, &row.created_at, &row.last_seen_at, now) {
                    // Writing on every request would serialise reads behind the one writer;
                    // a minute's precision is plenty for a 30-minute idle timeout.
                    if older_than_a_minute(Some(&row.last_seen_at)) {
                        if let Err(error) =
                            db::touch_session(&state.db.write, &id_hash, &timestamp(now)).await
                        {
                            tracing::error!(%error, "could not record session activity");
                        }
                    }
                    request.extensions_mut().insert(row.user);
                } else if let Err(error) = db::delete_session(&state.db.write, &id_hash).await {
                    tracing::error!(%error, "could not delete an expired session");
                }
            }
            Ok(None) => {}
            Err(error) => {
                tracing::error!(%error, "session lookup failed");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        }
    }
    let path = request.uri().path();
    if request.extensions().get::<CurrentUser>().is_some() || is_public(path) {
        return next.run(request).await;
    }
    if path.starts_with("/api/") && !path.starts_with("/api/v1/") {
        // A server function: answered as one, so the page can say "signed out" and keep the input.
        return (
            StatusCode::UNAUTHORIZED,
            Json(app::error::AppError::Unauthorized),
        )
            .into_response();
    }
    if path.starts_with("/api/") || request.method() != axum::http::Method::GET {
        return unauthorized();
    }
    let target = request
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let ended = if had_session { "&ended=1" } else { "" };
    Redirect::to(&format!("/login?next={}{ended}", url_component(&target))).into_response()
}

/// The sign-in form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

fn session_cookie(config: &AuthConfig, value: &str, max_age: Duration) -> HeaderValue {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        max_age.as_secs()
    );
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

async fn audit(
    state: &AppState,
    actor: Actor,
    action: &str,
    user_id: Option<i64>,
    summary: serde_json::Value,
) {
    let id = user_id.map(|id| id.to_string());
    let result = async {
        let mut tx = state.db.begin_write().await?;
        tx.changes_no_metrics();
        app::audit::db::record(&mut tx, &actor, action, ("user", id.as_deref()), &summary).await?;
        tx.commit().await
    }
    .await;
    if let Err(error) = result {
        tracing::error!(?error, action, "could not write the audit log");
    }
}

/// `POST /login`: checks the password, starts a fresh session and goes where the user was headed.
/// A failure says only that email and password do not match, whichever was wrong.
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let email = form.email.trim().to_lowercase();
    let next = safe_next(&form.next).to_string();
    let keys = [format!("ip:{}", peer.ip()), format!("account:{email}")];
    let now = Instant::now();
    if let Some(wait) = state.throttle.wait(&keys, now) {
        tracing::warn!(ip = %peer.ip(), "sign-in throttled");
        let back = format!(
            "/login?error=throttled&wait={}&email={}&next={}",
            wait.as_secs().max(1),
            url_component(&email),
            url_component(&next)
        );
        return Redirect::to(&back).into_response();
    }
    let credentials = match db::credentials(&state.db.read, &email).await {
        Ok(found) => found,
        Err(error) => {
            tracing::error!(%error, "credential lookup failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let password = form
        .password
        .chars()
        .take(password::MAX_CHARS + 1)
        .collect::<String>();
    let valid = password::verify(
        password,
        credentials.as_ref().map(|c| c.password_hash.clone()),
    )
    .await;
    let Some(user) = credentials.filter(|_| valid) else {
        state.throttle.failed(&keys, now);
        audit(
            &state,
            Actor::system("sign-in"),
            "user.sign_in_failed",
            None,
            serde_json::json!({"email": email}),
        )
        .await;
        let back = format!(
            "/login?error=1&email={}&next={}",
            url_component(&email),
            url_component(&next)
        );
        return Redirect::to(&back).into_response();
    };

    state.throttle.succeeded(&keys[1]);
    // Rotate: a session the browser already had ends here, so a planted id is worth nothing.
    if let Some(old) = session_id_from(&headers) {
        if let Err(error) = db::delete_session(&state.db.write, &hash_secret(&old)).await {
            tracing::error!(%error, "could not end the previous session");
        }
    }
    let id = new_secret();
    if let Err(error) = db::create_session(
        &state.db.write,
        &hash_secret(&id),
        user.id,
        &now_timestamp(),
    )
    .await
    {
        tracing::error!(%error, "could not create a session");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    audit(
        &state,
        Actor::user(user.id, &user.name),
        "user.signed_in",
        Some(user.id),
        serde_json::json!({}),
    )
    .await;
    let mut response = Redirect::to(&next).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(&state.auth, &id, state.auth.absolute_timeout),
    );
    response
}

/// `POST /logout`: ends the session on the server and clears the cookie.
pub async fn logout(State(state): State<AppState>, request: Request<Body>) -> Response {
    if let Some(id) = session_id_from(request.headers()) {
        let id_hash = hash_secret(&id);
        if let Some(user) = request.extensions().get::<CurrentUser>() {
            audit(
                &state,
                Actor::of(user),
                "user.signed_out",
                Some(user.id),
                serde_json::json!({}),
            )
            .await;
        }
        if let Err(error) = db::delete_session(&state.db.write, &id_hash).await {
            tracing::error!(%error, "could not delete a session");
        }
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(&state.auth, "", Duration::ZERO),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/accounts?page=2"), "/accounts?page=2");
        assert_eq!(safe_next("https://evil.example/"), "/");
        assert_eq!(safe_next("//evil.example/"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
    }

    #[test]
    fn a_session_ends_after_idling_or_ageing_too_long() {
        let config = AuthConfig::default();
        let now: DateTime<Utc> = "2026-12-04T12:00:00Z".parse().expect("time");
        let alive = |created: &str, seen: &str| session_alive(&config, created, seen, now);
        assert!(alive("2026-12-04T11:00:00Z", "2026-12-04T11:45:00Z"));
        assert!(
            !alive("2026-12-04T11:00:00Z", "2026-12-04T11:30:00Z"),
            "idle 30 min"
        );
        assert!(
            !alive("2026-12-04T00:00:00Z", "2026-12-04T11:59:00Z"),
            "12 h old"
        );
        assert!(!alive("garbage", "2026-12-04T11:59:00Z"));
    }

    #[test]
    fn only_a_bearer_authorization_carries_a_token() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
            bearer_token(&headers).map(str::to_owned)
        };
        assert_eq!(with("Bearer abc").as_deref(), Some("abc"));
        assert_eq!(with("bearer abc").as_deref(), Some("abc"));
        assert_eq!(with("Basic abc"), None);
        assert_eq!(with("Bearer "), None);
    }

    #[test]
    fn the_session_id_is_read_from_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; keystone_session=abc; x=1"),
        );
        assert_eq!(session_id_from(&headers).as_deref(), Some("abc"));
        assert_ne!(hash_secret("abc"), "abc");
    }
}
