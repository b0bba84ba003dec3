//! The axum application: pages, server functions, static files and operations endpoints.

use crate::{
    api,
    auth::{self, AuthConfig, SignInThrottle},
    forms, health, security,
};
use app::{db::Db, error::AppError, shell, App};
use axum::{
    body::Body,
    extract::{FromRef, Request},
    http::StatusCode,
    middleware::{self, Next},
    response::Response,
    routing::{get, post},
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::{
    net::SocketAddr,
    sync::{Arc, OnceLock},
};
use tower_http::{
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    services::{ServeDir, ServeFile},
    trace::TraceLayer,
};

/// Largest error body read back to find its status (errors are short JSON).
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Largest request body accepted (forms and JSON; CSV imports will get their own limit).
const BODY_LIMIT_BYTES: usize = 1024 * 1024;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Where the site files are and what they are called.
    pub leptos_options: LeptosOptions,
    /// Session and cookie settings.
    pub auth: AuthConfig,
    /// Failed sign-ins per address and account.
    pub throttle: Arc<SignInThrottle>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Self {
        state.db.clone()
    }
}

/// Site options for serving the built site from `site_root` (cargo-leptos' `target/site`).
pub fn site_options(site_root: &str, site_addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("keystone")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(site_addr)
        .build()
}

/// The app's routes, generated once per process: generating them renders the app in a special
/// mode, which must not overlap with requests being rendered (tests start many routers).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application, ready to serve or to drive from tests.
pub fn build_router(state: AppState) -> Router {
    let routes = route_list();
    let context = {
        let db = state.db.clone();
        move || provide_context(db.clone())
    };
    let render = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    // Every page but the sign-in page takes the no-JavaScript posts of its forms.
    let form_pages = routes
        .iter()
        .map(|route| route.path().to_string())
        .filter(|path| path != "/login")
        .collect::<Vec<_>>();
    let router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/login", post(auth::login))
        .route("/logout", post(auth::logout))
        .merge(api::routes());
    form_pages
        .iter()
        .fold(router, |router, path| router.route(path, post(forms::post)))
        .leptos_routes_with_context(&state, routes, context.clone(), render.clone())
        .nest_service("/pkg", static_files(&state, "pkg"))
        .nest_service("/vendor", static_files(&state, "vendor"))
        .route_service(
            "/favicon.svg",
            ServeFile::new(site_file(&state, "favicon.svg")),
        )
        // Anything else is the app's "Page not found" (its route answers 404).
        .fallback(get(leptos_axum::render_app_async_with_context(
            context, render,
        )))
        .layer(middleware::from_fn(server_fn_error_status))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(middleware::from_fn(security::refuse_cross_site))
        .layer(middleware::from_fn(security::security_headers))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Where a file of the built site is.
fn site_file(state: &AppState, name: &str) -> std::path::PathBuf {
    std::path::Path::new(state.leptos_options.site_root.as_ref()).join(name)
}

/// Serves one folder of the built site, preferring the pre-compressed copies cargo-leptos writes.
///
/// (Not leptos_axum's `file_and_error_handler`: it reads response options from whatever reactive
/// owner the worker thread last had, so a static file could inherit another page's 403.)
fn static_files(state: &AppState, folder: &str) -> ServeDir {
    ServeDir::new(site_file(state, folder))
        .precompressed_br()
        .precompressed_gzip()
}

/// Gives each server-function error its own status: Leptos answers every [`AppError`] with 500,
/// marked by its `serverfnerror` header; the client and API callers need 400, 401, 403, 404 or 409.
async fn server_fn_error_status(request: Request<Body>, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, ERROR_BODY_LIMIT)
        .await
        .unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status_code()).unwrap_or(parts.status);
    }
    Response::from_parts(parts, Body::from(bytes))
}
