//! Integration tests: the real router over real HTTP, on a fresh SQLite file per test.

use app::db::Db;
use chrono::NaiveDate;
use leptos::server_fn::ServerFn;
use server::{
    auth::AuthConfig,
    database,
    demo::{self, DemoPlan},
    router::{build_router, site_options, AppState},
};
use std::{net::SocketAddr, sync::LazyLock};

mod accounts_edit;
mod api;
mod contacts;
mod forms;
mod list_filters;
mod metrics;
mod outcomes;
mod reviews;
mod targets;

/// A running Keystone on a random port, with its own database.
struct TestApp {
    base: String,
    db: Db,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl TestApp {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Posts the sign-in form; returns the status and the redirect target.
    async fn sign_in(&self, email: &str, password: &str) -> (u16, String) {
        let response = self
            .client
            .post(self.url("/login"))
            .form(&[
                ("email", email),
                ("password", password),
                ("next", "/accounts"),
            ])
            .send()
            .await
            .expect("sign in");
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (response.status().as_u16(), location)
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }
}

/// One multi-threaded runtime runs every test and every test's app, as a server runs in production.
static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("test runtime")
});

/// Runs a test's body on the shared runtime.
fn run<F: std::future::Future>(test: F) -> F::Output {
    RUNTIME.block_on(test)
}

/// Starts the app on an empty, migrated database.
async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("keystone.db").display());
    let db = database::open(&url).await.expect("database");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr: SocketAddr = listener.local_addr().expect("addr");
    let state = AppState {
        db: db.clone(),
        leptos_options: site_options("target/site", addr),
        auth: AuthConfig::default(),
        throttle: Default::default(),
    };
    tokio::spawn(async move {
        axum::serve(
            listener,
            build_router(state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("serve");
    });
    TestApp {
        base: format!("http://{addr}"),
        db,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            // A stalled request fails its test with the URL instead of hanging the run.
            .timeout(std::time::Duration::from_secs(5))
            .build()
            .expect("client"),
        _dir: dir,
    }
}

fn demo_day() -> NaiveDate {
    "2026-12-04".parse().expect("date")
}

/// A response's status, and its body as JSON (null when it is not JSON).
async fn answer(response: reqwest::Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

/// The fields a validation error names, in its order (as `AppError::Validation` answers).
fn error_fields(body: &serde_json::Value) -> Vec<&str> {
    body["Validation"]
        .as_array()
        .expect("field errors")
        .iter()
        .map(|e| e["field"].as_str().expect("a field name"))
        .collect()
}

/// Posts a form (a server function's, as a browser does) as `client`: the status, and the body
/// as JSON (null when it is not JSON).
async fn call(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    let response = client
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .expect("call");
    answer(response).await
}

/// Calls a JSON-input server function as `client`: the status, and the body as JSON.
async fn post_json(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let response = client
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .expect("call");
    answer(response).await
}

/// GETs `path` as `client`: the status, and the body as JSON (null when it is not JSON).
async fn get_json(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, serde_json::Value) {
    let response = client.get(app.url(path)).send().await.expect("request");
    answer(response).await
}

/// Starts the app on a database holding a small demo.
async fn spawn_app_with_demo(accounts: usize) -> TestApp {
    let app = spawn_app().await;
    demo::generate(
        &app.db,
        &DemoPlan {
            accounts,
            seed: 42,
            today: demo_day(),
        },
        |_, _| {},
    )
    .await
    .expect("demo");
    let (status, location) = app
        .sign_in("admin@keystone.demo", demo::DEMO_PASSWORD)
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/accounts"),
        "demo admin cannot sign in"
    );
    app
}

#[test]
fn healthz_reports_ok_with_the_version() {
    run(async {
        let app = spawn_app().await;
        let response = app
            .client
            .get(app.url("/healthz"))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 200);
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["status"], "ok");
        assert_eq!(body["database"], "ok");
        assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    })
}

#[test]
fn healthz_answers_503_when_the_database_is_unreachable() {
    run(async {
        let app = spawn_app().await;
        app.db.read.close().await;
        let response = app
            .client
            .get(app.url("/healthz"))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 503);
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["database"], "unreachable");
    })
}

#[test]
fn the_database_runs_in_wal_mode_with_foreign_keys_enforced() {
    run(async {
        let app = spawn_app().await;
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&app.db.write)
            .await
            .expect("pragma");
        assert_eq!(mode, "wal");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&app.db.read)
            .await
            .expect("pragma");
        assert_eq!(fk, 1);
        let orphan = sqlx::query(
            "INSERT INTO contacts (account_id, name, role, created_at) VALUES (999, 'Nobody', 'champion', '2026-01-01T00:00:00Z')",
        )
        .execute(&app.db.write)
        .await;
        assert!(
            orphan.is_err(),
            "a contact of a missing account was accepted"
        );
    })
}

#[test]
fn the_schema_refuses_an_outcome_that_expires_before_it_starts_and_unknown_statuses() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let insert = |valid_from: &'static str, expires_on: &'static str, status: &'static str| {
            sqlx::query(
                "INSERT INTO outcomes (account_id, title, valid_from, expires_on, status, created_at, updated_at) \
                 VALUES (1, 'Faster onboarding', ?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            )
            .bind(valid_from)
            .bind(expires_on)
            .bind(status)
            .execute(&app.db.write)
        };
        assert!(insert("2026-05-01", "2026-04-30", "on_track")
            .await
            .is_err());
        assert!(insert("2026-05-01", "2026-05-01", "great").await.is_err());
        assert!(insert("2026-05-01", "2026-05-01", "on_track").await.is_ok());
    })
}

#[test]
fn the_demo_only_fills_an_empty_database() {
    run(async {
        let app = spawn_app_with_demo(5).await;
        let again = demo::generate(
            &app.db,
            &DemoPlan {
                accounts: 5,
                seed: 42,
                today: demo_day(),
            },
            |_, _| {},
        )
        .await;
        assert!(again.is_err(), "a second demo was mixed into existing data");
        let accounts: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts")
            .fetch_one(&app.db.read)
            .await
            .expect("count");
        assert_eq!(accounts, 5);
    })
}

/// Names, ARR and start dates of all accounts, and the number of reviews.
async fn demo_fingerprint(app: &TestApp) -> (Vec<(String, i64, String)>, i64) {
    let rows = sqlx::query_as("SELECT name, arr, start_date FROM accounts ORDER BY id")
        .fetch_all(&app.db.read)
        .await
        .expect("rows");
    let reviews = sqlx::query_scalar("SELECT count(*) FROM reviews")
        .fetch_one(&app.db.read)
        .await
        .expect("count");
    (rows, reviews)
}

#[test]
fn the_demo_is_the_same_for_the_same_seed() {
    run(async {
        let (first, second) = (spawn_app_with_demo(40).await, spawn_app_with_demo(40).await);
        let a = demo_fingerprint(&first).await;
        let b = demo_fingerprint(&second).await;
        assert_eq!(a, b);
        assert!(a.1 > 0, "the demo has no reviews");
    })
}

#[test]
fn the_accounts_page_lists_accounts_with_a_total_and_pages() {
    run(async {
        let app = spawn_app_with_demo(120).await;
        let (status, html) = app.get("/accounts").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("Showing 1–50 of 120 accounts"),
            "no result count in the page"
        );
        let first: String = sqlx::query_scalar(
            "SELECT name FROM accounts ORDER BY name COLLATE NOCASE, id LIMIT 1",
        )
        .fetch_one(&app.db.read)
        .await
        .expect("first");
        assert!(
            html.contains(&first),
            "the first account by name is not on page 1"
        );
        assert!(html.contains("Page 1 of 3"));

        let (_, page3) = app.get("/accounts?page=3").await;
        assert!(page3.contains("Showing 101–120 of 120 accounts"));
    })
}

#[test]
fn searching_by_crm_id_finds_exactly_that_account() {
    run(async {
        let app = spawn_app_with_demo(60).await;
        let name: String =
            sqlx::query_scalar("SELECT name FROM accounts WHERE external_id = 'CRM-0000007'")
                .fetch_one(&app.db.read)
                .await
                .expect("name");
        let (status, html) = app.get("/accounts?q=CRM-0000007").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("Showing 1–1 of 1 accounts"),
            "search did not narrow to one account"
        );
        assert!(html.contains(&name));
    })
}

#[test]
fn search_text_with_wildcards_matches_literally() {
    run(async {
        let app = spawn_app_with_demo(20).await;
        let (_, html) = app.get("/accounts?q=%25").await;
        assert!(
            html.contains("No accounts match."),
            "a % in the search matched everything"
        );
    })
}

#[test]
fn sorting_by_arr_descending_puts_the_largest_account_first() {
    run(async {
        let app = spawn_app_with_demo(80).await;
        let largest: String =
            sqlx::query_scalar("SELECT name FROM accounts ORDER BY arr DESC, id DESC LIMIT 1")
                .fetch_one(&app.db.read)
                .await
                .expect("largest");
        let (_, html) = app.get("/accounts?sort=arr&dir=desc").await;
        let table = &html[html.find("<tbody").expect("table")..];
        let first_link = &table[table.find("<a href=\"/accounts/").expect("row")..];
        let first_row = &first_link[..first_link.find("</a>").expect("link end")];
        assert!(first_row.contains(&largest), "first row was {first_row}");
    })
}

#[test]
fn the_segment_filter_shows_only_that_segment() {
    run(async {
        let app = spawn_app_with_demo(100).await;
        let smb: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts WHERE segment = 'SMB'")
            .fetch_one(&app.db.read)
            .await
            .expect("count");
        let (_, html) = app.get("/accounts?segment=SMB").await;
        assert!(
            html.contains(&format!("of {smb} accounts")),
            "SMB filter total is not {smb}"
        );
        assert!(!html.contains("<td>Enterprise</td>"));
    })
}

#[test]
fn the_account_page_shows_facts_contacts_outcomes_reviews_and_renewals() {
    run(async {
        let app = spawn_app_with_demo(50).await;
        let (id, name, contact, outcome): (i64, String, String, String) = sqlx::query_as(
            "SELECT a.id, a.name, c.name, o.title FROM accounts a \
             JOIN contacts c ON c.account_id = a.id JOIN outcomes o ON o.account_id = a.id \
             WHERE EXISTS (SELECT 1 FROM reviews r WHERE r.account_id = a.id AND r.held_on IS NOT NULL) \
             ORDER BY a.id LIMIT 1",
        )
        .fetch_one(&app.db.read)
        .await
        .expect("an account with contacts, outcomes and reviews");
        let (status, html) = app.get(&format!("/accounts/{id}")).await;
        assert_eq!(status, 200);
        for expected in [
            name.as_str(),
            contact.as_str(),
            outcome.as_str(),
            "Business Outcome Reviews",
            "Renewals",
            "Customer since",
        ] {
            assert!(
                html.contains(&expected.replace('\'', "&#x27;")),
                "account page lacks {expected:?}"
            );
        }
    })
}

#[test]
fn a_missing_account_answers_404() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let (status, html) = app.get("/accounts/999999").await;
        assert_eq!(status, 404);
        assert!(html.contains("does not exist"));
        let (status, _) = app.get("/accounts/not-a-number").await;
        assert_eq!(status, 404);
    })
}

#[test]
fn an_unknown_page_answers_404() {
    run(async {
        let app = spawn_app_with_demo(1).await;
        let (status, html) = app.get("/no-such-page").await;
        assert_eq!(status, 404);
        assert!(html.contains("Page not found"));
    })
}

#[test]
fn the_list_server_function_answers_json_for_the_browser() {
    run(async {
        let app = spawn_app_with_demo(30).await;
        let response = app
            .client
            .post(app.url(<app::accounts::api::ListAccounts as ServerFn>::PATH))
            .json(&serde_json::json!({"query": {"q": "", "segment": null, "sort": "arr", "desc": true, "page": 1}}))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 200);
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["total"], 30);
        let arrs: Vec<i64> = body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|a| a["arr"].as_i64().expect("arr"))
            .collect();
        assert!(
            arrs.windows(2).all(|w| w[0] >= w[1]),
            "not sorted by ARR descending"
        );
    })
}

#[test]
fn a_server_function_with_malformed_arguments_is_refused_without_server_details() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let response = app
            .client
            .post(app.url(<app::accounts::api::ListAccounts as ServerFn>::PATH))
            .header("content-type", "application/json")
            .body("{\"query\": 12}")
            .send()
            .await
            .expect("request");
        assert_eq!(
            response.status().as_u16(),
            400,
            "malformed arguments are the caller's error"
        );
        let body = response.text().await.expect("body");
        assert!(
            !body.to_lowercase().contains("sqlite"),
            "response leaks database details: {body}"
        );
    })
}

#[test]
fn a_page_past_the_end_shows_the_last_page() {
    run(async {
        let app = spawn_app_with_demo(120).await;
        let (status, html) = app.get("/accounts?page=99").await;
        assert_eq!(status, 200);
        assert!(html.contains("Showing 101–120 of 120 accounts"));
        assert!(html.contains("Page 3 of 3"));
    })
}

#[test]
fn sorting_by_owner_starts_with_the_alphabetically_first_csm() {
    run(async {
        let app = spawn_app_with_demo(300).await;
        let first_owner: String = sqlx::query_scalar(
            "SELECT u.name FROM accounts a JOIN users u ON u.id = a.owner_id ORDER BY u.name COLLATE NOCASE LIMIT 1",
        )
        .fetch_one(&app.db.read)
        .await
        .expect("owner");
        let last_owner: String = sqlx::query_scalar(
            "SELECT u.name FROM accounts a JOIN users u ON u.id = a.owner_id ORDER BY u.name COLLATE NOCASE DESC LIMIT 1",
        )
        .fetch_one(&app.db.read)
        .await
        .expect("owner");
        let (_, html) = app.get("/accounts?sort=owner").await;
        let start = html.find("<tbody").expect("table");
        let body = &html[start..start + html[start..].find("</tbody>").expect("end")];
        assert!(
            body.contains(&first_owner),
            "first CSM {first_owner} not on page 1"
        );
        assert!(!body.contains(&last_owner) || first_owner == last_owner);
    })
}

#[test]
fn pages_carry_a_nonce_bound_content_security_policy_and_strict_headers() {
    run(async {
        let app = spawn_app_with_demo(5).await;
        let response = app
            .client
            .get(app.url("/accounts"))
            .send()
            .await
            .expect("request");
        let headers = response.headers().clone();
        let html = response.text().await.expect("body");
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let policy = header("content-security-policy");
        let nonce = html
            .split("nonce=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("an inline script with a nonce");
        assert!(
            policy.contains(&format!("'nonce-{nonce}'")),
            "policy {policy} lacks the page's nonce"
        );
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("object-src 'none'"));
        assert!(policy.contains("base-uri 'none'"));
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("referrer-policy"), "same-origin");
        assert_eq!(header("cache-control"), "no-store");

        let (_, again) = app.get("/accounts").await;
        assert!(
            !again.contains(&format!("nonce=\"{nonce}\"")),
            "the nonce was reused"
        );
    })
}

#[test]
fn api_answers_are_never_stored() {
    run(async {
        let app = spawn_app().await;
        let response = app
            .client
            .get(app.url("/healthz"))
            .send()
            .await
            .expect("request");
        assert_eq!(response.headers()["cache-control"], "no-store");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    })
}

#[test]
fn a_cross_site_post_is_refused_before_it_reaches_a_handler() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let path = <app::accounts::api::AccountFilters as ServerFn>::PATH;
        let post = |headers: &[(&'static str, String)]| {
            let mut request = app
                .client
                .post(app.url(path))
                .header("content-type", "application/json")
                .body("{}");
            for (name, value) in headers {
                request = request.header(*name, value.clone());
            }
            async move { request.send().await.expect("request").status().as_u16() }
        };
        let host = app.base.trim_start_matches("http://").to_string();
        assert_eq!(
            post(&[("origin", "https://evil.example".into())]).await,
            403
        );
        assert_eq!(post(&[("sec-fetch-site", "cross-site".into())]).await, 403);
        assert_eq!(post(&[("origin", "null".into())]).await, 403);
        assert_eq!(post(&[("origin", format!("http://{host}"))]).await, 200);
        assert_eq!(post(&[("sec-fetch-site", "same-origin".into())]).await, 200);
        // Bearer-token calls are not browser requests riding on a cookie.
        let with_token = post(&[
            ("origin", "https://bi.example".into()),
            ("authorization", "Bearer some-token".into()),
        ])
        .await;
        assert_ne!(with_token, 403);
    })
}

#[test]
fn the_audit_log_records_the_demo_and_refuses_updates_and_deletes() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let (action, actor, summary): (String, String, String) = sqlx::query_as(
            "SELECT action, actor_name, summary FROM audit_event WHERE action = 'demo.generated'",
        )
        .fetch_one(&app.db.read)
        .await
        .expect("an audit event");
        assert_eq!(action, "demo.generated");
        assert_eq!(actor, "keystone demo");
        assert!(summary.contains("\"accounts\":3"), "{summary}");

        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM audit_event")
                .fetch_one(&app.db.read)
                .await
                .expect("count")
        };
        let before = count().await;
        let update = sqlx::query("UPDATE audit_event SET action = 'nothing happened'")
            .execute(&app.db.write)
            .await;
        let delete = sqlx::query("DELETE FROM audit_event")
            .execute(&app.db.write)
            .await;
        for (what, result) in [("UPDATE", update), ("DELETE", delete)] {
            let error = result.expect_err(&format!("{what} of the audit log was allowed"));
            assert!(error.to_string().contains("append-only"), "{what}: {error}");
        }
        assert_eq!(count().await, before);
    })
}

/// A separate browser, signed in as `email` with the demo password.
async fn client_signed_in_as(app: &TestApp, email: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client");
    let response = client
        .post(app.url("/login"))
        .form(&[
            ("email", email),
            ("password", demo::DEMO_PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("sign in");
    assert_eq!(response.status().as_u16(), 303, "{email} cannot sign in");
    client
}

/// A client with no session, on the same app.
fn anonymous(app: &TestApp) -> reqwest::Client {
    let _ = app;
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

#[test]
fn an_anonymous_browser_is_sent_to_sign_in_and_brought_back() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let response = anonymous(&app)
            .get(app.url("/accounts?page=2"))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(
            response.headers()["location"],
            "/login?next=%2Faccounts%3Fpage%3D2"
        );
        let login = anonymous(&app)
            .get(app.url("/login?next=%2Faccounts%3Fpage%3D2"))
            .send()
            .await
            .expect("login page");
        assert_eq!(login.status().as_u16(), 200);
        let html = login.text().await.expect("body");
        assert!(html.contains("name=\"password\""));
        assert!(
            html.contains("value=\"/accounts?page=2\""),
            "the form does not carry next"
        );
    })
}

#[test]
fn anonymous_server_function_and_api_calls_answer_401() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        // Every server function the binary registered, not a hand-kept list.
        let paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path)
            .collect();
        assert!(paths.contains(&<app::accounts::api::ListAccounts as ServerFn>::PATH));
        assert!(paths.contains(&<app::users::api::WhoAmI as ServerFn>::PATH));
        for path in paths {
            let response = anonymous(&app)
                .post(app.url(path))
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .expect("request");
            assert_eq!(response.status().as_u16(), 401, "{path}");
        }
        let api = anonymous(&app)
            .get(app.url("/api/v1/accounts"))
            .send()
            .await
            .expect("request");
        assert_eq!(api.status().as_u16(), 401);
    })
}

#[test]
fn a_wrong_password_or_unknown_email_gets_the_same_answer_and_keeps_the_email() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let client = anonymous(&app);
        let attempt = |email: &'static str| {
            let request = client.post(app.url("/login")).form(&[
                ("email", email),
                ("password", "not the password"),
                ("next", "/accounts"),
            ]);
            async move {
                let response = request.send().await.expect("sign in");
                (
                    response.status().as_u16(),
                    response.headers()["location"]
                        .to_str()
                        .expect("location")
                        .to_string(),
                )
            }
        };
        let wrong_password = attempt("csm@keystone.demo").await;
        let unknown = attempt("nobody@keystone.demo").await;
        assert_eq!(wrong_password.0, 303);
        assert_eq!(
            wrong_password.1,
            "/login?error=1&email=csm%40keystone.demo&next=%2Faccounts"
        );
        assert_eq!(
            unknown.1,
            "/login?error=1&email=nobody%40keystone.demo&next=%2Faccounts"
        );
        let (_, html) = app.get(&wrong_password.1).await;
        assert!(html.contains("That email and password do not match."));
        assert!(
            html.contains("value=\"csm@keystone.demo\""),
            "the email was not kept"
        );
        let failures: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM audit_event WHERE action = 'user.sign_in_failed'",
        )
        .fetch_one(&app.db.read)
        .await
        .expect("count");
        assert_eq!(failures, 2);
    })
}

#[test]
fn signing_in_sets_a_strict_session_cookie_and_signing_out_ends_the_session() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let response = anonymous(&app)
            .post(app.url("/login"))
            .form(&[
                ("email", "Leader@Keystone.demo"),
                ("password", demo::DEMO_PASSWORD),
                ("next", "https://evil.example/"),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(
            response.headers()["location"],
            "/",
            "an off-site next was followed"
        );
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .to_string();
        assert!(cookie.starts_with("keystone_session="));
        for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(flag), "cookie lacks {flag}: {cookie}");
        }
        assert!(
            !cookie.contains("Secure"),
            "Secure without KEYSTONE_SECURE_COOKIES"
        );

        // The demo admin's client is signed in: the pages answer, then sign-out ends it.
        assert_eq!(app.get("/accounts").await.0, 200);
        let out = app
            .client
            .post(app.url("/logout"))
            .send()
            .await
            .expect("logout");
        assert_eq!(out.status().as_u16(), 303);
        assert_eq!(out.headers()["location"], "/login");
        assert_eq!(app.get("/accounts").await.0, 303);
        let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'admin@keystone.demo'")
            .fetch_one(&app.db.read)
            .await
            .expect("count");
        assert_eq!(sessions, 0, "sign-out left the session on the server");
    })
}

#[test]
fn a_disabled_users_session_stops_working_at_once() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        assert_eq!(app.get("/accounts").await.0, 200);
        sqlx::query("UPDATE users SET disabled_at = '2026-12-04T12:00:00Z' WHERE email = 'admin@keystone.demo'")
            .execute(&app.db.write)
            .await
            .expect("disable");
        let (status, _) = app.get("/accounts").await;
        assert_eq!(status, 303);
        let (status, _) = app
            .sign_in("admin@keystone.demo", demo::DEMO_PASSWORD)
            .await;
        assert_eq!(status, 303);
        assert_eq!(
            app.get("/accounts").await.0,
            303,
            "a disabled user signed in again"
        );
    })
}

#[test]
fn an_idle_session_ends_and_says_so() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        sqlx::query("UPDATE sessions SET last_seen_at = '2000-01-01T00:00:00.000Z'")
            .execute(&app.db.write)
            .await
            .expect("age the session");
        let response = app
            .client
            .get(app.url("/accounts"))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(
            response.headers()["location"],
            "/login?next=%2Faccounts&ended=1"
        );
    })
}

#[test]
fn an_api_token_acts_with_its_role_until_it_is_revoked() {
    run(async {
        use app::{audit::model::Actor, users::model::Role};
        use server::auth::tokens;
        let app = spawn_app_with_demo(3).await;
        let token = tokens::create(
            &app.db,
            "bi-dashboard",
            Role::Viewer,
            &Actor::system("test"),
        )
        .await
        .expect("token");
        assert!(token.starts_with("ks_") && token.len() > 40);
        let call = |token: String| {
            let request = anonymous(&app)
                .post(app.url(<app::users::api::WhoAmI as ServerFn>::PATH))
                .header("authorization", format!("Bearer {token}"))
                .header("origin", "https://bi.example");
            async move {
                let response = request.send().await.expect("request");
                let status = response.status().as_u16();
                (status, response.text().await.expect("body"))
            }
        };
        let (status, body) = call(token.clone()).await;
        assert_eq!(status, 200, "{body}");
        assert!(
            body.contains("\"role\":\"viewer\"") && body.contains("\"via_token\":true"),
            "{body}"
        );
        assert_eq!(call("ks_not-a-real-token".into()).await.0, 401);

        let stored: i64 =
            sqlx::query_scalar("SELECT count(*) FROM api_tokens WHERE token_hash = ?")
                .bind(&token)
                .fetch_one(&app.db.read)
                .await
                .expect("count");
        assert_eq!(stored, 0, "the token itself was stored");

        assert!(
            tokens::revoke(&app.db, "bi-dashboard", &Actor::system("test"))
                .await
                .expect("revoke")
        );
        assert_eq!(call(token).await.0, 401, "a revoked token still works");
        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_event WHERE object_type = 'api_token' ORDER BY id",
        )
        .fetch_all(&app.db.read)
        .await
        .expect("audit");
        assert_eq!(actions, ["token.created", "token.revoked"]);
    })
}

#[test]
fn every_page_renders_whole_on_the_server_including_the_signed_in_user() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        for path in ["/", "/accounts", "/accounts/1", "/dashboard", "/admin"] {
            let (status, html) = app.get(path).await;
            assert_eq!(status, 200, "{path}");
            assert!(
                html.contains("Ada Admin"),
                "{path} was sent without the user menu"
            );
            assert!(html.contains("Sign out"), "{path} has no sign-out button");
            // Streamed (out-of-order) fragments arrive in <template>s that need JS to show.
            assert!(
                !html.contains("<template"),
                "{path} streams fragments that need JavaScript"
            );
        }
    })
}

#[test]
fn roles_decide_what_a_signed_in_user_may_read() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let signed_in = client_signed_in_as(&app, "viewer@keystone.demo").await;

        let page = signed_in
            .get(app.url("/accounts"))
            .send()
            .await
            .expect("page");
        assert_eq!(page.status().as_u16(), 403);
        assert!(page
            .text()
            .await
            .expect("body")
            .contains("You do not have access to this."));

        let call = signed_in
            .post(app.url(<app::accounts::api::AccountFilters as ServerFn>::PATH))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .expect("server fn");
        let status = call.status().as_u16();
        let headers = format!("{:?}", call.headers());
        let body = call.text().await.expect("body");
        assert_eq!(status, 403, "{headers} {body}");
        assert_eq!(body, "\"Forbidden\"");

        // The admin of the same demo reads them, and a missing account is a 404, not a 500.
        let missing = app
            .client
            .post(app.url(<app::accounts::api::GetAccount as ServerFn>::PATH))
            .header("content-type", "application/json")
            .body("{\"id\": 424242}")
            .send()
            .await
            .expect("server fn");
        assert_eq!(missing.status().as_u16(), 404);
    })
}

#[test]
fn repeated_failures_slow_sign_in_down_without_locking_the_account() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let client = anonymous(&app);
        let attempt = |password: &'static str| {
            let request = client.post(app.url("/login")).form(&[
                ("email", "pilot@keystone.demo"),
                ("password", password),
                ("next", "/"),
            ]);
            async move {
                let response = request.send().await.expect("sign in");
                response.headers()["location"]
                    .to_str()
                    .expect("location")
                    .to_string()
            }
        };
        for _ in 0..5 {
            assert!(attempt("wrong password!")
                .await
                .starts_with("/login?error=1"));
        }
        // Even the right password waits its turn now; the page says how long.
        let throttled = attempt(demo::DEMO_PASSWORD).await;
        assert!(
            throttled.starts_with("/login?error=throttled&wait=1"),
            "{throttled}"
        );
        let (_, html) = app.get(&throttled).await;
        assert!(html.contains("Too many attempts. Please wait 1 seconds, then try again."));
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        assert_eq!(
            attempt(demo::DEMO_PASSWORD).await,
            "/",
            "the wait became a lockout"
        );
    })
}

#[test]
fn admins_see_users_tokens_and_a_filterable_audit_log() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let (status, html) = app.get("/admin").await;
        assert_eq!(status, 200);
        for expected in [
            "Users",
            "csm@keystone.demo",
            "API tokens",
            "No API tokens yet.",
        ] {
            assert!(html.contains(expected), "/admin lacks {expected:?}");
        }
        let (status, html) = app.get("/admin/audit?action=user.signed_in").await;
        assert_eq!(status, 200);
        assert!(html.contains("1 events"), "one sign-in expected");
        assert!(html.contains("Ada Admin (user)"));
        assert!(!html.contains("demo.generated"));
        let (_, html) = app.get("/admin/audit?to=2000-01-01").await;
        assert!(html.contains("No events match."));
        let (_, html) = app.get("/admin/audit?from=not-a-date").await;
        assert!(
            html.contains("demo.generated"),
            "a malformed date should be ignored"
        );
    })
}

#[test]
fn only_admins_reach_the_admin_pages() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let csm = client_signed_in_as(&app, "csm@keystone.demo").await;
        for path in ["/admin", "/admin/audit"] {
            let response = csm.get(app.url(path)).send().await.expect("page");
            assert_eq!(response.status().as_u16(), 403, "{path}");
            let html = response.text().await.expect("body");
            assert!(
                !html.contains("admin@keystone.demo"),
                "{path} leaked the user list"
            );
        }
    })
}

#[test]
fn an_admin_changes_roles_disables_users_and_revokes_tokens_and_each_is_audited() {
    run(async {
        use app::admin::api::{DisableUser, RevokeToken, SetUserRole};
        use app::{audit::model::Actor, users::model::Role};
        let app = spawn_app_with_demo(3).await;
        let csm = client_signed_in_as(&app, "csm@keystone.demo").await;
        assert_eq!(
            csm.get(app.url("/accounts"))
                .send()
                .await
                .expect("page")
                .status()
                .as_u16(),
            200
        );
        let id_of = |email: &'static str| {
            let pool = app.db.read.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE email = ?")
                    .bind(email)
                    .fetch_one(&pool)
                    .await
                    .expect("user")
            }
        };
        let (csm_id, admin_id) = (
            id_of("csm@keystone.demo").await,
            id_of("admin@keystone.demo").await,
        );
        let post = |path: &'static str, form: Vec<(&'static str, String)>| {
            let request = app.client.post(app.url(path)).form(&form);
            async move { request.send().await.expect("action").status().as_u16() }
        };

        assert_eq!(
            post(
                <SetUserRole as ServerFn>::PATH,
                vec![("user_id", csm_id.to_string()), ("role", "leader".into())]
            )
            .await,
            200
        );
        assert_eq!(
            post(
                <SetUserRole as ServerFn>::PATH,
                vec![("user_id", csm_id.to_string()), ("role", "root".into())]
            )
            .await,
            400
        );
        assert_eq!(
            post(
                <DisableUser as ServerFn>::PATH,
                vec![("user_id", admin_id.to_string())]
            )
            .await,
            400,
            "an admin disabled themselves"
        );
        assert_eq!(
            post(
                <DisableUser as ServerFn>::PATH,
                vec![("user_id", csm_id.to_string())]
            )
            .await,
            200
        );
        assert_eq!(
            csm.get(app.url("/accounts"))
                .send()
                .await
                .expect("page")
                .status()
                .as_u16(),
            303,
            "the disabled user's session still works"
        );

        let token =
            server::auth::tokens::create(&app.db, "bi", Role::Viewer, &Actor::system("test"))
                .await
                .expect("token");
        let token_id: i64 = sqlx::query_scalar("SELECT id FROM api_tokens WHERE name = 'bi'")
            .fetch_one(&app.db.read)
            .await
            .expect("id");
        assert_eq!(
            post(
                <RevokeToken as ServerFn>::PATH,
                vec![("token_id", token_id.to_string())]
            )
            .await,
            200
        );
        let refused = anonymous(&app)
            .post(app.url(<app::users::api::WhoAmI as ServerFn>::PATH))
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await
            .expect("call");
        assert_eq!(refused.status().as_u16(), 401);

        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_event WHERE actor_name = 'Ada Admin' AND action <> 'user.signed_in' ORDER BY id",
        )
        .fetch_all(&app.db.read)
        .await
        .expect("audit");
        assert_eq!(
            actions,
            ["user.role_changed", "user.disabled", "token.revoked"]
        );
    })
}

#[test]
fn signing_in_again_rotates_the_session() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM sessions")
                .fetch_one(&app.db.read)
                .await
                .expect("count")
        };
        assert_eq!(count().await, 1);
        let (status, _) = app
            .sign_in("admin@keystone.demo", demo::DEMO_PASSWORD)
            .await;
        assert_eq!(status, 303);
        assert_eq!(
            count().await,
            1,
            "the previous session survived a new sign-in"
        );
        assert_eq!(app.get("/accounts").await.0, 200);
    })
}

#[test]
fn audit_filters_match_wildcards_literally() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let (_, html) = app.get("/admin/audit?action=user_").await;
        assert!(
            html.contains("No events match."),
            "'_' in the action filter matched any character"
        );
        let (_, html) = app.get("/admin/audit?actor=%25").await;
        assert!(
            html.contains("No events match."),
            "'%' in the actor filter matched everything"
        );
    })
}
