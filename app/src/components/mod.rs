//! Small pieces of UI shared by every feature.

pub mod chart;
pub mod form;
pub mod format;

use crate::error::AppError;
use leptos::prelude::*;

/// The `:id` segment of the current route as a number (`None` when it is not one).
pub fn route_id() -> Memo<Option<i64>> {
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())))
}

/// Shows an error from a server function in words a user can act on.
#[component]
pub fn ErrorNotice(
    /// The error to explain.
    error: AppError,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status_code()) {
            response.set_status(status);
        }
    }
    let message = match &error {
        AppError::NotFound(what) => format!("That {what} does not exist, or was removed."),
        AppError::Unauthorized => {
            "You are signed out (your session may have ended). Sign in again, in a new tab if you were typing here: what you typed stays on this page."
                .to_string()
        }
        AppError::Forbidden => "You do not have access to this.".to_string(),
        AppError::Validation(errors) => errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        AppError::Conflict(message) => message.clone(),
        AppError::Stale { .. } => {
            "Someone else saved a change while you were editing, so nothing was \
             saved. Your input is kept: check their change below, then save again to apply yours."
                .to_string()
        }
        AppError::Internal => {
            "Something went wrong on our side. Please try again in a moment.".to_string()
        }
    };
    let since = match error {
        AppError::Stale { since, .. } => Some(since),
        _ => None,
    };
    view! {
        <div class="notice notice-error" role="alert">
            <p>{message}</p>
            {since.map(|revisions| view! { <crate::revisions::RevisionList revisions /> })}
        </div>
    }
}

/// A scrollable table, or a short message in its place when there are no rows.
#[component]
pub fn TableOrEmpty(
    /// Whether there are no rows to show.
    empty: bool,
    /// What to say instead of an empty table.
    message: &'static str,
    /// The `<table>`.
    children: Children,
) -> impl IntoView {
    if empty {
        view! { <p class="muted">{message}</p> }.into_any()
    } else {
        view! { <div class="table-scroll">{children()}</div> }.into_any()
    }
}

/// Links to the previous and next pages around "Page N of M"; a link that would leave the pages
/// is shown disabled.
#[component]
pub fn Pagination(
    /// The page shown (from 1).
    current: u32,
    /// How many pages there are.
    count: u32,
    /// The address of a page.
    href: impl Fn(u32) -> String,
    /// The label of the link back.
    #[prop(default = "← Previous")]
    previous: &'static str,
    /// The label of the link on.
    #[prop(default = "Next →")]
    next: &'static str,
) -> impl IntoView {
    let link = |target: u32, label: &'static str, rel: &'static str| {
        if target >= 1 && target <= count && target != current {
            view! { <a href=href(target) rel=rel>{label}</a> }.into_any()
        } else {
            view! { <span class="disabled" aria-disabled="true">{label}</span> }.into_any()
        }
    };
    view! {
        <nav class="pagination" aria-label="Pages">
            {link(current.saturating_sub(1), previous, "prev")}
            <span>{format!("Page {current} of {count}")}</span>
            {link(current + 1, next, "next")}
        </nav>
    }
}
