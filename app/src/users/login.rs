//! `/login`: a plain HTML form posted to the server's `POST /login` handler, so signing in needs
//! no JavaScript. A failed attempt comes back here with `error=1` and the email kept.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let (next, email, failed, ended) = query.with_untracked(|q| {
        (
            q.get("next").unwrap_or_else(|| "/".into()),
            q.get("email").unwrap_or_default(),
            q.get("error").is_some(),
            q.get("ended").is_some(),
        )
    });
    view! {
        <Title text="Sign in · Keystone" />
        <section class="login" aria-labelledby="login-heading">
            <h1 id="login-heading">"Sign in to Keystone"</h1>
            {failed
                .then(|| {
                    view! {
                        <div class="notice notice-error" role="alert">
                            <p>"That email and password do not match. Please try again."</p>
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
