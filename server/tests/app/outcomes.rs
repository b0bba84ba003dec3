//! Business Outcomes through their server functions: create, edit with a reason, renew, retire,
//! the revision history, stale saves, validation and who may change what.

use crate::{call, client_signed_in_as, run, spawn_app_with_demo, TestApp};
use app::outcomes::api::{CreateOutcome, EditOutcome, RenewOutcome, RetireOutcome};
use leptos::server_fn::ServerFn;
use serde_json::Value;

/// An account owned by `email`, and another one owned by someone else.
async fn accounts_of(app: &TestApp, email: &str) -> (i64, i64) {
    let own: i64 = sqlx::query_scalar(
        "SELECT a.id FROM accounts a JOIN users u ON u.id = a.owner_id WHERE u.email = ? \
         ORDER BY a.id LIMIT 1",
    )
    .bind(email)
    .fetch_one(&app.db.read)
    .await
    .expect("own account");
    let other: i64 = sqlx::query_scalar(
        "SELECT a.id FROM accounts a JOIN users u ON u.id = a.owner_id WHERE u.email <> ? \
         ORDER BY a.id LIMIT 1",
    )
    .bind(email)
    .fetch_one(&app.db.read)
    .await
    .expect("other account");
    (own, other)
}

fn outcome_id_from(location: &Value) -> i64 {
    let location = location.as_str().expect("location");
    location
        .trim_start_matches("/outcomes/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("unexpected location {location}"))
}

async fn revision_rows(app: &TestApp, outcome_id: i64) -> Vec<(i64, String, String)> {
    sqlx::query_as(
        "SELECT revision, reason, changes FROM outcome_revisions WHERE outcome_id = ? \
         ORDER BY revision",
    )
    .bind(outcome_id)
    .fetch_all(&app.db.read)
    .await
    .expect("revisions")
}

#[test]
fn a_csm_creates_edits_renews_and_retires_an_outcome_and_every_change_is_a_revision() {
    run(async {
        let app = spawn_app_with_demo(200).await;
        let csm = client_signed_in_as(&app, "csm@keystone.demo").await;
        let (account, _) = accounts_of(&app, "csm@keystone.demo").await;
        let account = account.to_string();

        let (status, location) = call(
            &csm,
            &app,
            CreateOutcome::PATH,
            &[
                ("account_id", &account),
                ("title", "Cut onboarding to 10 days"),
                ("success_measure", "Median days to first value"),
                ("baseline_value", "24"),
                ("target_value", "10"),
                ("unit", "days"),
                ("valid_from", "2026-12-01"),
                ("expires_on", ""),
                ("status", "on_track"),
                ("reason", ""),
            ],
        )
        .await;
        assert_eq!(status, 200, "{location}");
        assert!(location.as_str().expect("present").ends_with("?saved=1"));
        let id = outcome_id_from(&location);
        let (expires_on, revision): (String, i64) =
            sqlx::query_as("SELECT expires_on, revision FROM outcomes WHERE id = ?")
                .bind(id)
                .fetch_one(&app.db.read)
                .await
                .expect("outcome");
        assert_eq!((expires_on.as_str(), revision), ("2027-12-01", 1));

        let id_text = id.to_string();
        let (status, location) = call(
            &csm,
            &app,
            EditOutcome::PATH,
            &[
                ("outcome_id", &id_text),
                ("base_revision", "1"),
                ("title", "Cut onboarding to 8 days"),
                ("success_measure", "Median days to first value"),
                ("baseline_value", "24"),
                ("target_value", "8"),
                ("unit", "days"),
                ("valid_from", "2026-12-01"),
                ("expires_on", "2027-12-01"),
                ("status", "at_risk"),
                ("reason", "Customer raised the bar at the QBR"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{location}");
        assert!(location.as_str().expect("present").ends_with("?saved=2"));

        let (status, _) = call(
            &csm,
            &app,
            RenewOutcome::PATH,
            &[
                ("outcome_id", &id_text),
                ("base_revision", "2"),
                ("expires_on", "2028-06-30"),
                ("reason", "Extended with the renewal"),
            ],
        )
        .await;
        assert_eq!(status, 200);
        let (status, _) = call(
            &csm,
            &app,
            RetireOutcome::PATH,
            &[
                ("outcome_id", &id_text),
                ("base_revision", "3"),
                ("retired_on", "2027-03-01"),
                ("reason", "Replaced by a broader outcome"),
            ],
        )
        .await;
        assert_eq!(status, 200);

        let revisions = revision_rows(&app, id).await;
        let reasons: Vec<&str> = revisions.iter().map(|(_, r, _)| r.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "Created",
                "Customer raised the bar at the QBR",
                "Extended with the renewal",
                "Replaced by a broader outcome"
            ]
        );
        let edit: Value = serde_json::from_str(&revisions[1].2).expect("changes");
        assert_eq!(
            edit,
            serde_json::json!({
                "title": {"old": "Cut onboarding to 10 days", "new": "Cut onboarding to 8 days"},
                "target_value": {"old": 10.0, "new": 8.0},
                "status": {"old": "on_track", "new": "at_risk"},
            })
        );
        let renewal: Value = serde_json::from_str(&revisions[2].2).expect("changes");
        assert_eq!(
            renewal,
            serde_json::json!({"expires_on": {"old": "2027-12-01", "new": "2028-06-30"}})
        );
        let audited: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM audit_event WHERE object_type = 'outcome' AND object_id = ?",
        )
        .bind(&id_text)
        .fetch_one(&app.db.read)
        .await
        .expect("audit");
        assert_eq!(audited, 4);

        // The outcome page shows the history, newest first, with the reasons.
        let page = csm
            .get(app.url(&format!("/outcomes/{id}")))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        let newest = page.find("Replaced by a broader outcome").expect("retired");
        let oldest = page.find("Customer raised the bar").expect("edited");
        assert!(newest < oldest, "history is newest first");
        assert!(page.contains("Retired"));
    })
}

#[test]
fn a_save_based_on_an_older_revision_is_refused_with_what_changed_and_changes_nothing() {
    run(async {
        let app = spawn_app_with_demo(200).await;
        let csm = client_signed_in_as(&app, "csm@keystone.demo").await;
        let (account, _) = accounts_of(&app, "csm@keystone.demo").await;
        let account = account.to_string();
        let (_, location) = call(
            &csm,
            &app,
            CreateOutcome::PATH,
            &[
                ("account_id", &account),
                ("title", "Grow weekly active users"),
                ("valid_from", "2026-11-01"),
            ],
        )
        .await;
        let id = outcome_id_from(&location).to_string();
        let edit = |title: &'static str, base: &'static str| {
            vec![
                ("outcome_id", id.clone()),
                ("base_revision", base.to_string()),
                ("title", title.to_string()),
                ("valid_from", "2026-11-01".to_string()),
                ("reason", "Sharper title".to_string()),
            ]
        };
        let form = |pairs: &Vec<(&'static str, String)>| {
            pairs
                .iter()
                .map(|(k, v)| (*k, v.clone()))
                .collect::<Vec<_>>()
        };
        // The admin saves first, from revision 1 ...
        let first = form(&edit("Grow weekly active users to 500", "1"));
        let first: Vec<(&str, &str)> = first.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            call(&app.client, &app, EditOutcome::PATH, &first).await.0,
            200
        );
        // ... then the CSM, also from revision 1.
        let second = form(&edit("Grow weekly active users by half", "1"));
        let second: Vec<(&str, &str)> = second.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, error) = call(&csm, &app, EditOutcome::PATH, &second).await;
        assert_eq!(status, 409);
        let stale = &error["Stale"];
        assert_eq!(stale["current_revision"], 2);
        assert_eq!(stale["since"][0]["author_name"], "Ada Admin");
        assert_eq!(
            stale["since"][0]["changes"]["title"]["new"],
            "Grow weekly active users to 500"
        );
        let title: String = sqlx::query_scalar("SELECT title FROM outcomes WHERE id = ?")
            .bind(&id)
            .fetch_one(&app.db.read)
            .await
            .expect("title");
        assert_eq!(title, "Grow weekly active users to 500");

        // Having seen the change, the CSM saves again on top of revision 2.
        let again = form(&edit("Grow weekly active users by half", "2"));
        let again: Vec<(&str, &str)> = again.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(call(&csm, &app, EditOutcome::PATH, &again).await.0, 200);
    })
}

#[test]
fn bad_input_is_refused_field_by_field_and_nothing_is_written() {
    run(async {
        let app = spawn_app_with_demo(200).await;
        let csm = client_signed_in_as(&app, "csm@keystone.demo").await;
        let (account, _) = accounts_of(&app, "csm@keystone.demo").await;
        let account = account.to_string();
        let before: i64 = sqlx::query_scalar("SELECT count(*) FROM outcomes")
            .fetch_one(&app.db.read)
            .await
            .expect("count");
        let long_title = "x".repeat(201);
        let (status, error) = call(
            &csm,
            &app,
            CreateOutcome::PATH,
            &[
                ("account_id", &account),
                ("title", &long_title),
                ("target_value", "lots"),
                ("valid_from", "2026-12-01"),
                ("expires_on", "2026-11-30"),
                ("status", "fine"),
            ],
        )
        .await;
        assert_eq!(status, 400);
        let fields = crate::error_fields(&error);
        assert_eq!(fields, ["title", "target_value", "expires_on", "status"]);
        let after: i64 = sqlx::query_scalar("SELECT count(*) FROM outcomes")
            .fetch_one(&app.db.read)
            .await
            .expect("count");
        assert_eq!(before, after);

        // An edit without a reason, or that changes nothing, is refused too.
        let id: i64 = sqlx::query_scalar("SELECT id FROM outcomes WHERE account_id = ? LIMIT 1")
            .bind(&account)
            .fetch_one(&app.db.read)
            .await
            .expect("outcome");
        let (title, from, revision): (String, String, i64) =
            sqlx::query_as("SELECT title, valid_from, revision FROM outcomes WHERE id = ?")
                .bind(id)
                .fetch_one(&app.db.read)
                .await
                .expect("outcome");
        let (id, revision) = (id.to_string(), revision.to_string());
        let (status, error) = call(
            &csm,
            &app,
            EditOutcome::PATH,
            &[
                ("outcome_id", &id),
                ("base_revision", &revision),
                ("title", "Something new"),
                ("valid_from", &from),
                ("reason", " "),
            ],
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(error["Validation"][0]["field"], "reason");
        let _ = title;
    })
}

#[test]
fn only_the_owner_csm_and_admins_change_an_accounts_outcomes() {
    run(async {
        let app = spawn_app_with_demo(200).await;
        let (own, other) = accounts_of(&app, "csm@keystone.demo").await;
        let create = |account: i64| {
            vec![
                ("account_id", account.to_string()),
                ("title", "Expand to the EU team".to_string()),
                ("valid_from", "2026-12-01".to_string()),
            ]
        };
        let as_pairs = |form: &Vec<(&'static str, String)>| {
            form.iter()
                .map(|(k, v)| (*k, v.clone()))
                .collect::<Vec<(&str, String)>>()
        };
        let status_of = |client: reqwest::Client, form: Vec<(&'static str, String)>| {
            let request = client
                .post(app.url(CreateOutcome::PATH))
                .form(&as_pairs(&form));
            async move { request.send().await.expect("call").status().as_u16() }
        };
        let csm = client_signed_in_as(&app, "csm@keystone.demo").await;
        assert_eq!(
            status_of(csm.clone(), create(other)).await,
            403,
            "another CSM's account"
        );
        assert_eq!(status_of(csm, create(own)).await, 200);
        for email in [
            "leader@keystone.demo",
            "pilot@keystone.demo",
            "viewer@keystone.demo",
        ] {
            let client = client_signed_in_as(&app, email).await;
            assert_eq!(status_of(client, create(own)).await, 403, "{email}");
        }
        assert_eq!(
            status_of(app.client.clone(), create(other)).await,
            200,
            "admin"
        );
        assert_eq!(status_of(app.client.clone(), create(999_999)).await, 404);

        // Pages follow the same rule: the edit page of another CSM's outcome is refused.
        let foreign: i64 =
            sqlx::query_scalar("SELECT id FROM outcomes WHERE account_id = ? LIMIT 1")
                .bind(other)
                .fetch_one(&app.db.read)
                .await
                .expect("outcome");
        let csm = client_signed_in_as(&app, "csm@keystone.demo").await;
        let page = csm
            .get(app.url(&format!("/outcomes/{foreign}/edit")))
            .send()
            .await
            .expect("page");
        assert_eq!(page.status().as_u16(), 403);
    })
}

#[test]
fn without_javascript_a_refused_edit_keeps_the_input_and_a_stale_one_shows_the_other_change() {
    run(async {
        let app = spawn_app_with_demo(200).await;
        let csm = client_signed_in_as(&app, "csm@keystone.demo").await;
        let (account, _) = accounts_of(&app, "csm@keystone.demo").await;
        let id: i64 = sqlx::query_scalar("SELECT id FROM outcomes WHERE account_id = ? LIMIT 1")
            .bind(account)
            .fetch_one(&app.db.read)
            .await
            .expect("outcome");
        let (from, revision): (String, i64) =
            sqlx::query_as("SELECT valid_from, revision FROM outcomes WHERE id = ?")
                .bind(id)
                .fetch_one(&app.db.read)
                .await
                .expect("outcome");
        let page = format!("/outcomes/{id}/edit");
        let post = |base: i64, title: &'static str, reason: &'static str| {
            let form = vec![
                ("_fn", EditOutcome::PATH.to_string()),
                ("_form", format!("edit-{id}")),
                ("outcome_id", id.to_string()),
                ("base_revision", base.to_string()),
                ("title", title.to_string()),
                ("success_measure", String::new()),
                ("valid_from", from.clone()),
                ("expires_on", "1999-01-01".to_string()),
                ("reason", reason.to_string()),
            ];
            csm.post(app.url(&page)).form(&form).send()
        };
        let refused = post(revision, "A title typed with care", "why")
            .await
            .expect("post");
        assert_eq!(refused.status().as_u16(), 400);
        let html = refused.text().await.expect("html");
        assert!(html.contains(r#"value="A title typed with care""#));
        assert!(html.contains("must not be before the start date"));

        // Someone else saves; the CSM's save from the old revision comes back with their change.
        sqlx::query("UPDATE outcomes SET revision = revision + 1 WHERE id = ?")
            .bind(id)
            .execute(&app.db.write)
            .await
            .expect("bump");
        sqlx::query(
            "INSERT INTO outcome_revisions (outcome_id, revision, author_id, changed_at, reason, changes) \
             VALUES (?, ?, 1, '2026-12-04T10:00:00Z', 'Tightened the measure', \
                     '{\"success_measure\":{\"old\":\"\",\"new\":\"NPS above 40\"}}')",
        )
        .bind(id)
        .bind(revision + 1)
        .execute(&app.db.write)
        .await
        .expect("revision");
        let stale = post(revision, "A title typed with care", "Clearer")
            .await
            .expect("post");
        assert_eq!(stale.status().as_u16(), 409);
        let html = stale.text().await.expect("html");
        assert!(html.contains("Someone else saved a change"));
        assert!(html.contains("NPS above 40"));
        assert!(
            html.contains(r#"value="NPS above 40""#),
            "a field the user left alone takes the other change"
        );
        assert!(html.contains(r#"value="A title typed with care""#));
        assert!(
            html.contains(&format!(r#"name="base_revision" value="{}""#, revision + 1)),
            "the next save is based on the newer revision"
        );
    })
}
