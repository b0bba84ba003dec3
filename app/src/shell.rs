//! The HTML document, the router and the layout every page shares.

use crate::accounts::pages::{AccountPage, AccountsPage, EditAccountPage, NewAccountPage};
use crate::admin::{AdminPage, AuditPage, TargetsPage};
use crate::contacts::pages::{EditContactPage, NewContactPage};
use crate::error::AppError;
use crate::metrics::drill_down::DrillDownPage;
use crate::metrics::page::{DashboardPage, PilotReportPage};
use crate::outcomes::pages::{EditOutcomePage, NewOutcomePage, OutcomePage};
use crate::reviews::pages::{
    RecordNewReviewPage, RecordReviewPage, ReviewPage, ScheduleReviewPage,
};
use crate::users::{
    api::who_am_i,
    model::{CurrentUser, Permission},
    LoginPage,
};
use crate::worklist::page::WorklistPage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    path, SsrMode,
};

/// The full HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::security::apply_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // ECharts, served by Keystone itself, runs before the WASM that draws with it.
                <script defer src="/vendor/echarts.min.js"></script>
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: layout and routes.
///
/// Routes render with [`SsrMode::Async`]: the server waits for the page's data and sends complete
/// HTML, so every page reads and navigates without JavaScript.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::components::form::provide_rejected_post();
    // Who is signed in, read once per page load; the sign-in page has no one.
    let user = Resource::new(|| (), |_| who_am_i());
    provide_context(SignedIn(user));
    mark_hydrated();

    view! {
        <Stylesheet id="leptos" href="/pkg/keystone.css" />
        <Title text="Keystone" />
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="topbar">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    " Keystone"
                </a>
                <MainNav user />
                <UserMenu user />
            </header>
            <main id="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/") view=WorklistPage ssr=SsrMode::Async />
                    <Route path=path!("/accounts") view=AccountsPage ssr=SsrMode::Async />
                    <Route path=path!("/accounts/new") view=NewAccountPage ssr=SsrMode::Async />
                    <Route path=path!("/accounts/:id") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/accounts/:id/edit") view=EditAccountPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/accounts/:id/outcomes/new")
                        view=NewOutcomePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/accounts/:id/contacts/new")
                        view=NewContactPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/contacts/:id/edit") view=EditContactPage ssr=SsrMode::Async />
                    <Route path=path!("/outcomes/:id") view=OutcomePage ssr=SsrMode::Async />
                    <Route path=path!("/outcomes/:id/edit") view=EditOutcomePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/accounts/:id/reviews/new")
                        view=ScheduleReviewPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/accounts/:id/reviews/record")
                        view=RecordNewReviewPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/reviews/:id") view=ReviewPage ssr=SsrMode::Async />
                    <Route path=path!("/reviews/:id/record") view=RecordReviewPage ssr=SsrMode::Async />
                    <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/pilot") view=PilotReportPage ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/accounts") view=DrillDownPage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/targets") view=TargetsPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}

/// The signed-in user of this page load, for components that show or hide what a role may do.
#[derive(Clone, Copy)]
pub struct SignedIn(pub Resource<Result<CurrentUser, AppError>>);

/// The main navigation: only the places the signed-in user's role may go.
#[component]
fn MainNav(user: Resource<Result<CurrentUser, AppError>>) -> impl IntoView {
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                user.await
                    .ok()
                    .map(|user| {
                        let reads_accounts = Permission::ReadAccounts.allows(user.role);
                        let administers = Permission::Administer.allows(user.role);
                        view! {
                            <nav aria-label="Main">
                                {reads_accounts
                                    .then(|| {
                                        view! {
                                            <A href="/" exact=true>"Worklist"</A>
                                            <A href="/accounts">"Accounts"</A>
                                        }
                                    })}
                                <A href="/dashboard">"Dashboard"</A>
                                {administers.then(|| view! { <A href="/admin">"Admin"</A> })}
                            </nav>
                        }
                    })
            })}
        </Suspense>
    }
}

/// The signed-in user's name and the sign-out button (a plain POST form: works without JS).
#[component]
fn UserMenu(user: Resource<Result<CurrentUser, AppError>>) -> impl IntoView {
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                user.await
                    .ok()
                    .map(|user| {
                        view! {
                            <div class="user-menu">
                                <span class="user-name">
                                    {user.name} " · " {user.role.as_str()}
                                </span>
                                <form method="post" action="/logout">
                                    <button type="submit" class="link-button">
                                        "Sign out"
                                    </button>
                                </form>
                            </div>
                        }
                    })
            })}
        </Suspense>
    }
}

/// Sets `data-hydrated` on `<body>` once the WASM has taken over, so that end-to-end tests (and
/// curious operators) can tell a hydrated page from server HTML.
fn mark_hydrated() {
    Effect::new(|| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// Any path no route matches: answers 404.
#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <h1>"Page not found"</h1>
        <p>
            "There is nothing at this address. Go to the " <a href="/accounts">"accounts"</a> "."
        </p>
    }
}
