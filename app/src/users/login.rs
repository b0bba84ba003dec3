//! `/login`: a plain HTML form posted to the server's `POST /login` handler, so signing in needs
//! no JavaScript. A failed attempt comes back here with `error=1` and the email kept.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let (next, email, error, wait, ended) = query.with_untracked(|q| {
        (
            q.get("next").unwrap_or_else(|| "/".into()),
            q.get("email").unwrap_or_default(),
            q.get("error"),
            q.get("wait")
                .and_then(|w| w.parse::<u64>().ok())
                .unwrap_or(1),
            q.get("ended").is_some(),
        )
    });
    let message = error.map(|error| {
        if error == "throttled" {
            format!("Too many attempts. Please wait {wait} seconds, then try again.")
        } else {
            "That email and password do not match. Please try again.".to_string()
        }
    });
    view! {
        <Title text="Sign in · Keystone" />
        <section class="login" aria-labelledby="login-heading">
            <h1 id="login-heading">"Sign in to Keystone"</h1>
            {message
                .map(|message| {
                    view! {
                        <div class="notice notice-error" role="alert">
                            <p>{message}</p>
                        </div>
                    }
                })}
            {ended
                .then(|| {
                    view! {
                        <div class="notice notice-warning" role="status">
                            <p>"Your session ended. Please sign in again."</p>
                        </div>
                    }
                })}
            <form method="post" action="/login" class="stacked">
                <input type="hidden" name="next" value=next />
                <label>
                    <span>"Email"</span>
                    <input
                        type="email"
                        name="email"
                        autocomplete="username"
                        required
                        autofocus=email.is_empty()
                        value=email.clone()
                    />
                </label>
                <label>
                    <span>"Password"</span>
                    <input
                        type="password"
                        name="password"
                        autocomplete="current-password"
                        required
                        maxlength="1024"
                        autofocus=!email.is_empty()
                    />
                </label>
                <button type="submit">"Sign in"</button>
            </form>
        </section>
    }
}
