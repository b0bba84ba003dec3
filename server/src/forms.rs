//! Form posts without JavaScript: a [`ServerForm`](app::components::form::ServerForm) posts to its
//! own page. This runs the server function the form names, exactly as the browser would have with
//! JavaScript, then redirects where the function says or renders the page again with the input and
//! the error, so that nothing typed is lost and errors show next to their fields.

use crate::router::AppState;
use app::{
    components::form::{merge_stale, Rejected, FN_FIELD, FORM_FIELD},
    error::AppError,
    shell,
};
use axum::{
    body::{to_bytes, Body},
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use leptos::prelude::provide_context;
use leptos_axum::{handle_server_fns_with_context, render_app_async_with_context};

/// Largest form accepted (the router's body limit is the same).
const FORM_LIMIT: usize = 1024 * 1024;

/// `POST` to any page: runs the server function named by the form's `_fn` field.
pub async fn post(State(state): State<AppState>, request: Request) -> Response {
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, FORM_LIMIT).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let values: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let field = |name: &str| {
        values
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let Some(function) = field(FN_FIELD).filter(|path| path.starts_with("/api/")) else {
        return (
            StatusCode::BAD_REQUEST,
            "This address accepts only Keystone's own forms.",
        )
            .into_response();
    };

    // The server function, called as the browser's JavaScript would call it.
    let mut call = Request::new(Body::from(bytes));
    *call.method_mut() = Method::POST;
    *call.uri_mut() = match function.parse() {
        Ok(uri) => uri,
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    };
    *call.headers_mut() = parts.headers.clone();
    call.headers_mut()
        .insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    *call.extensions_mut() = parts.extensions.clone();
    let db = state.db.clone();
    let answer = handle_server_fns_with_context(move || provide_context(db.clone()), call)
        .await
        .into_response();
    let succeeded = answer.status().is_success();
    let answer = to_bytes(answer.into_body(), FORM_LIMIT)
        .await
        .unwrap_or_default();

    if succeeded {
        return match serde_json::from_slice::<String>(&answer) {
            Ok(location) if location.starts_with('/') && !location.starts_with("//") => {
                Redirect::to(&location).into_response()
            }
            _ => {
                tracing::error!(
                    function,
                    "a form's server function answered without a location"
                );
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        };
    }

    // Refused: the same page again, with what was typed (never passwords) and why.
    let error = serde_json::from_slice::<AppError>(&answer)
        .unwrap_or_else(|_| AppError::NotFound("form".into()));
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::BAD_REQUEST);
    let form = field(FORM_FIELD).unwrap_or_default();
    let mut typed: Vec<(String, String)> = values
        .into_iter()
        .filter(|(key, _)| key != FN_FIELD && key != FORM_FIELD && !key.contains("password"))
        .collect();
    if let AppError::Stale { since, .. } = &error {
        // Saving again must not undo the other person's change in fields this user left alone.
        merge_stale(&mut typed, since);
    }
    let rejected = Rejected {
        form,
        values: typed,
        error,
    };
    parts.method = Method::GET;
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let db = state.db.clone();
    let options = state.leptos_options.clone();
    let render = render_app_async_with_context(
        move || {
            provide_context(db.clone());
            provide_context(rejected.clone());
        },
        move || shell(options.clone()),
    );
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response
}
