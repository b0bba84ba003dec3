//! `GET /healthz`: whether Keystone and its database answer, for load balancers and monitors.

use app::db::Db;
use axum::{extract::State, http::StatusCode, Json};
use serde_json::{json, Value};

/// 200 with `{"status":"ok","database":"ok","version":..}`, or 503 when the database does not answer.
pub async fn healthz(State(db): State<Db>) -> (StatusCode, Json<Value>) {
    let version = env!("CARGO_PKG_VERSION");
    match db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({"status": "ok", "database": "ok", "version": version})),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "unavailable", "database": "unreachable", "version": version})),
        ),
    }
}
