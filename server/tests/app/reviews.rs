//! Business Outcome Reviews through their server functions and the API: schedule, record with
//! attendees and assessments, cancel, edit, drafts, validation, who may do what, and the worklist.

use crate::{call, client_signed_in_as, get_json, post_json, run, spawn_app_with_demo, TestApp};
use app::reviews::api::{
    CancelReview, GetReviewContext, RecordReview, SaveReviewDraft, ScheduleReview,
};
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

async fn scalar(app: &TestApp, sql: &str, bind: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(&app.db.read)
        .await
        .expect(sql)
}

/// An account owned by `email` with a current outcome and an executive contact; its id, the
/// outcome's id and the contact's id.
async fn reviewable_account(app: &TestApp, email: &str) -> (i64, i64, i64) {
    sqlx::query_as(
        "SELECT a.id, o.id, c.id FROM accounts a JOIN users u ON u.id = a.owner_id \
         JOIN outcomes o ON o.account_id = a.id AND o.valid_from <= date('now') \
              AND o.expires_on >= date('now') AND o.retired_on IS NULL \
         JOIN contacts c ON c.account_id = a.id AND c.archived_at IS NULL \
              AND c.role IN ('decision_maker', 'executive_sponsor') \
         WHERE u.email = ? AND (a.end_date IS NULL OR a.end_date > date('now')) \
         ORDER BY a.id LIMIT 1",
    )
    .bind(email)
    .fetch_one(&app.db.read)
    .await
    .expect("a reviewable account")
}

fn review_id_from(location: &Value) -> i64 {
    let location = location.as_str().expect("location");
    location
        .trim_start_matches("/reviews/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("unexpected location {location}"))
}

#[test]
fn a_csm_records_a_review_with_attendees_notes_and_assessments_that_set_outcome_status() {
    run(async {
        let app = spawn_app_with_demo(200).await;
        let csm = client_signed_in_as(&app, "csm@keystone.demo").await;
        let (account, outcome, contact) = reviewable_account(&app, "csm@keystone.demo").await;
        let csm_id: i64 =
            sqlx::query_scalar("SELECT id FROM users WHERE email = 'csm@keystone.demo'")
                .fetch_one(&app.db.read)
                .await
                .expect("csm");
        let (account_s, outcome_s) = (account.to_string(), outcome.to_string());
        let contact_key = format!("contact:{contact}");
        let user_key = format!("user:{csm_id}");
        let held_on = today();

        // A draft kept while typing is dropped by the save.
        let (status, _) = post_json(
            &csm,
            &app,
            SaveReviewDraft::PATH,
            json!({"account_id": account, "review_id": 0, "values": [["notes", "Half-typed"]]}),
        )
        .await;
        assert_eq!(status, 200);

        let notes = "They cut onboarding to 12 days.\n\nNext: roll out to the EU team.";
        let (status, location) = call(
            &csm,
            &app,
            RecordReview::PATH,
            &[
                ("account_id", &account_s),
                ("held_on", &held_on),
                ("attendees[]", &contact_key),
                ("attendees[]", &user_key),
                ("new_contact_name", "Ola Nordmann"),
                ("new_contact_role", "champion"),
                ("notes", notes),
                ("assessments[0][outcome_id]", &outcome_s),
                ("assessments[0][status]", "at_risk"),
                ("assessments[0][comment]", "Adoption stalled in one region"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{location}");
        let id = review_id_from(&location);

        let (status, body) =
            get_json(&csm, &app, &format!("/api/v1/reviews?account_id={account}")).await;
        assert_eq!(status, 200);
        let review = body["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|r| r["id"] == json!(id))
            .expect("the new review is listed")
            .clone();
        assert_eq!(review["held_on"], json!(held_on));
        assert_eq!(review["counts"], json!(true));
        assert_eq!(review["executive_present"], json!(true));
        assert_eq!(review["cancelled"], json!(false));
        assert_eq!(review["notes"], json!(notes));
        assert_eq!(
            review["assessments"],
            json!([{"outcome_id": outcome, "status": "at_risk", "comment": "Adoption stalled in one region"}])
        );
        let attendees = review["attendees"].as_array().expect("attendees");
        assert_eq!(attendees.len(), 3, "{attendees:?}");
        assert!(attendees.iter().any(|a| a["kind"] == "contact"
            && a["name"] == "Ola Nordmann"
            && a["role"] == "champion"));
        assert!(attendees
            .iter()
            .any(|a| a["kind"] == "user" && a["id"] == json!(csm_id)));

        // The outcome's status changed through a revision naming the review.
        let (status_now, reason): (String, String) = sqlx::query_as(
            "SELECT o.status, r.reason FROM outcomes o JOIN outcome_revisions r \
             ON r.outcome_id = o.id AND r.revision = o.revision WHERE o.id = ?",
        )
        .bind(outcome)
        .fetch_one(&app.db.read)
        .await
        .expect("outcome");
        assert_eq!(status_now, "at_risk");
        assert!(reason.contains(&format!("review #{id}")), "{reason}");

        // The review has revision 1, and the draft is gone.
        assert_eq!(
            scalar(
                &app,
                "SELECT count(*) FROM review_revisions WHERE review_id = ?",
                id
            )
            .await,
            1
        );
        assert_eq!(
            scalar(
                &app,
                "SELECT count(*) FROM review_drafts WHERE account_id = ?",
                account
            )
            .await,
            0
        );

        // The account is now on schedule, reviewed today.
        let (status, body) = get_json(&csm, &app, &format!("/api/v1/accounts/{account}")).await;
        assert_eq!(status, 200);
        assert_eq!(body["review_status"], json!("on_schedule"));
        assert_eq!(body["last_review_on"], json!(held_on));
        assert!(body["window_closes_on"]
            .as_str()
            .is_some_and(|d| d > held_on.as_str()));
    })
}

#[test]
fn bad_input_is_refused_field_by_field_and_writes_nothing() {
    run(async {
        let app = spawn_app_with_demo(200).await;
        let csm = client_signed_in_as(&app, "csm@keystone.demo").await;
        let (account, outcome, _) = reviewable_account(&app, "csm@keystone.demo").await;
        let before = scalar(
            &app,
            "SELECT count(*) FROM reviews WHERE account_id = ?",
            account,
        )
        .await;
        let (account_s, outcome_s) = (account.to_string(), outcome.to_string());
        let (status, body) = call(
            &csm,
            &app,
            RecordReview::PATH,
            &[
                ("account_id", &account_s),
                ("held_on", "2999-01-01"),
                ("attendees[]", "contact:999999"),
                ("new_contact_name", "Someone"),
                ("new_contact_role", "boss"),
                ("assessments[0][outcome_id]", &outcome_s),
                ("assessments[0][status]", ""),
                ("assessments[0][comment]", "a comment without a status"),
            ],
        )
        .await;
        assert_eq!(status, 400, "{body}");
        let fields = crate::error_fields(&body);
        for field in ["held_on", "attendees", "new_contact_role", "assessments"] {
            assert!(fields.contains(&field), "{field} missing from {fields:?}");
        }
        assert_eq!(
            scalar(
                &app,
                "SELECT count(*) FROM reviews WHERE account_id = ?",
                account
            )
            .await,
            before
        );
        assert_eq!(
            scalar(
                &app,
                "SELECT count(*) FROM contacts WHERE name = 'Someone' AND account_id = ?",
                account
            )
            .await,
            0
        );
    })
}

#[test]
fn a_scheduled_review_is_cancelled_with_a_reason_and_a_stale_save_is_refused() {
    run(async {
        let app = spawn_app_with_demo(200).await;
        let csm = client_signed_in_as(&app, "csm@keystone.demo").await;
        let (account, outcome, _) = reviewable_account(&app, "csm@keystone.demo").await;
        let account_s = account.to_string();
        let (status, location) = call(
            &csm,
            &app,
            ScheduleReview::PATH,
            &[("account_id", &account_s), ("scheduled_on", "2027-01-15")],
        )
        .await;
        assert_eq!(status, 200, "{location}");
        let id = review_id_from(&location).to_string();

        let (status, _) = call(
            &csm,
            &app,
            CancelReview::PATH,
            &[("review_id", &id), ("base_revision", "1"), ("reason", "")],
        )
        .await;
        assert_eq!(status, 400, "a reason is required");
        let (status, _) = call(
            &csm,
            &app,
            CancelReview::PATH,
            &[
                ("review_id", &id),
                ("base_revision", "1"),
                ("reason", "Customer moved it"),
            ],
        )
        .await;
        assert_eq!(status, 200);
        let (cancelled, reason): (Option<String>, Option<String>) =
            sqlx::query_as("SELECT cancelled_at, cancel_reason FROM reviews WHERE id = ?")
                .bind(&id)
                .fetch_one(&app.db.read)
                .await
                .expect("review");
        assert!(cancelled.is_some());
        assert_eq!(reason.as_deref(), Some("Customer moved it"));

        // Recording it from the old revision is stale; from the new one it is refused as cancelled.
        let outcome_s = outcome.to_string();
        let record = |base: &'static str| {
            vec![
                ("account_id", account_s.clone()),
                ("review_id", id.clone()),
                ("base_revision", base.to_string()),
                ("held_on", today()),
                ("assessments[0][outcome_id]", outcome_s.clone()),
                ("assessments[0][status]", "on_track".to_string()),
            ]
        };
        let form = record("1");
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = call(&csm, &app, RecordReview::PATH, &form).await;
        assert_eq!(status, 409, "{body}");
        let form = record("2");
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, _) = call(&csm, &app, RecordReview::PATH, &form).await;
        assert_eq!(status, 400);
    })
}

#[test]
fn only_the_owner_an_admin_or_a_pilot_on_a_pilot_account_enters_reviews() {
    run(async {
        let app = spawn_app_with_demo(200).await;
        let (own, _, _) = reviewable_account(&app, "csm@keystone.demo").await;
        let others: i64 = sqlx::query_scalar(
            "SELECT a.id FROM accounts a JOIN users u ON u.id = a.owner_id \
             WHERE u.email <> 'csm@keystone.demo' AND a.id NOT IN \
                   (SELECT account_id FROM account_cohorts ac JOIN cohorts c ON c.id = ac.cohort_id \
                    WHERE c.name = 'pilot') ORDER BY a.id LIMIT 1",
        )
        .fetch_one(&app.db.read)
        .await
        .expect("another CSM's account");
        let pilot_account: i64 = sqlx::query_scalar(
            "SELECT ac.account_id FROM account_cohorts ac JOIN cohorts c ON c.id = ac.cohort_id \
             WHERE c.name = 'pilot' ORDER BY ac.account_id LIMIT 1",
        )
        .fetch_one(&app.db.read)
        .await
        .expect("a pilot account");
        let schedule = |account: i64| {
            vec![
                ("account_id", account.to_string()),
                ("scheduled_on", "2027-02-01".to_string()),
            ]
        };
        let cases = [
            ("csm@keystone.demo", own, 200),
            ("csm@keystone.demo", others, 403),
            ("admin@keystone.demo", others, 200),
            ("pilot@keystone.demo", pilot_account, 200),
            ("pilot@keystone.demo", others, 403),
            ("leader@keystone.demo", own, 403),
            ("viewer@keystone.demo", own, 403),
        ];
        for (email, account, expected) in cases {
            let client = client_signed_in_as(&app, email).await;
            let form = schedule(account);
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (status, body) = call(&client, &app, ScheduleReview::PATH, &form).await;
            assert_eq!(status, expected, "{email} on account {account}: {body}");
        }
        let (status, _) = call(
            &reqwest::Client::new(),
            &app,
            ScheduleReview::PATH,
            &[
                ("account_id", &own.to_string()),
                ("scheduled_on", "2027-02-01"),
            ],
        )
        .await;
        assert_eq!(status, 401);
    })
}

#[test]
fn a_draft_is_kept_per_user_and_comes_back_with_the_form() {
    run(async {
        let app = spawn_app_with_demo(200).await;
        let csm = client_signed_in_as(&app, "csm@keystone.demo").await;
        let (account, _, _) = reviewable_account(&app, "csm@keystone.demo").await;
        let values = json!([
            ["notes", "Para one.\n\nPara two."],
            ["held_on", "2026-12-01"]
        ]);
        let (status, _) = post_json(
            &csm,
            &app,
            SaveReviewDraft::PATH,
            json!({"account_id": account, "review_id": 0, "values": values}),
        )
        .await;
        assert_eq!(status, 200);
        let (status, context) = post_json(
            &csm,
            &app,
            GetReviewContext::PATH,
            json!({"account_id": account, "review_id": null}),
        )
        .await;
        assert_eq!(status, 200, "{context}");
        assert_eq!(context["draft"]["values"], values);
        // Another user does not see it.
        let admin = client_signed_in_as(&app, "admin@keystone.demo").await;
        let (_, context) = post_json(
            &admin,
            &app,
            GetReviewContext::PATH,
            json!({"account_id": account, "review_id": null}),
        )
        .await;
        assert_eq!(context["draft"], Value::Null);
        // The form page renders the draft before any script runs.
        let response = csm
            .get(app.url(&format!("/accounts/{account}/reviews/record")))
            .send()
            .await
            .expect("page");
        let html = response.text().await.expect("html");
        assert!(
            html.contains("Para two."),
            "the draft's notes are in the page"
        );
        assert!(html.contains("Restored your unsaved draft"));
    })
}

#[test]
fn the_reviews_api_filters_by_account_and_dates_and_refuses_bad_parameters() {
    run(async {
        let app = spawn_app_with_demo(200).await;
        let admin = &app.client;
        let (status, body) = get_json(
            admin,
            &app,
            "/api/v1/reviews?from=2026-01-01&to=2026-06-30&limit=5",
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["items"].as_array().map(Vec::len), Some(5));
        assert!(body["total"].as_i64().unwrap_or(0) > 5);
        for review in body["items"].as_array().expect("items") {
            let day = review["held_on"]
                .as_str()
                .or(review["scheduled_on"].as_str())
                .expect("date");
            assert!(("2026-01-01"..="2026-06-30").contains(&day), "{day}");
        }
        for (query, parameter) in [
            ("from=2026-13-01", "from"),
            ("from=2026-06-01&to=2026-01-01", "to"),
            ("account_id=x", "account_id"),
            ("bogus=1", "bogus"),
        ] {
            let (status, body) = get_json(admin, &app, &format!("/api/v1/reviews?{query}")).await;
            assert_eq!(status, 400, "{query}");
            assert_eq!(body["parameter"], json!(parameter), "{query}");
        }
    })
}

#[test]
fn the_worklist_api_groups_an_owners_accounts_and_a_recorded_review_clears_overdue() {
    run(async {
        let app = spawn_app_with_demo(200).await;
        let admin = &app.client;
        let (status, body) = get_json(admin, &app, "/api/v1/worklist").await;
        assert_eq!(
            (status, body["parameter"].clone()),
            (400, json!("owner_id"))
        );
        let csm_id: i64 =
            sqlx::query_scalar("SELECT id FROM users WHERE email = 'csm@keystone.demo'")
                .fetch_one(&app.db.read)
                .await
                .expect("csm");
        let path = format!("/api/v1/worklist?owner_id={csm_id}");
        let (status, body) = get_json(admin, &app, &path).await;
        assert_eq!(status, 200, "{body}");
        for group in [
            "reviews_overdue",
            "reviews_due_soon",
            "never_reviewed",
            "no_current_outcome",
            "outcomes_expiring",
            "stale_outcomes",
            "onboarding_gaps",
            "early_warnings",
            "executive_flags",
        ] {
            assert!(body["groups"][group].is_array(), "{group} missing");
        }
        let overdue = body["groups"]["reviews_overdue"]
            .as_array()
            .expect("overdue")
            .clone();
        assert!(!overdue.is_empty(), "the demo has overdue accounts");
        assert!(overdue[0]["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("Overdue since")));

        // Record a counting review for an overdue account with a current outcome.
        let mut cleared = None;
        for item in &overdue {
            let account = item["account_id"].as_i64().expect("id");
            let outcome: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM outcomes WHERE account_id = ? AND valid_from <= date('now') \
                 AND expires_on >= date('now') AND retired_on IS NULL LIMIT 1",
            )
            .bind(account)
            .fetch_optional(&app.db.read)
            .await
            .expect("outcome");
            if let Some(outcome) = outcome {
                cleared = Some((account, outcome));
                break;
            }
        }
        let (account, outcome) = cleared.expect("an overdue account with a current outcome");
        let (status, body) = call(
            admin,
            &app,
            RecordReview::PATH,
            &[
                ("account_id", &account.to_string()),
                ("held_on", &today()),
                ("assessments[0][outcome_id]", &outcome.to_string()),
                ("assessments[0][status]", "on_track"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let (_, body) = get_json(admin, &app, &path).await;
        let still: Vec<i64> = body["groups"]["reviews_overdue"]
            .as_array()
            .expect("overdue")
            .iter()
            .filter_map(|i| i["account_id"].as_i64())
            .collect();
        assert!(!still.contains(&account));
        let (status, _) = get_json(admin, &app, "/api/v1/worklist?owner_id=999999").await;
        assert_eq!(status, 404);
    })
}

#[test]
fn a_pilot_users_worklist_is_the_pilot_cohorts() {
    run(async {
        let app = spawn_app_with_demo(300).await;
        let pilot = client_signed_in_as(&app, "pilot@keystone.demo").await;
        let (status, worklist) = post_json(
            &pilot,
            &app,
            app::worklist::api::GetWorklist::PATH,
            serde_json::json!({"owner_id": null}),
        )
        .await;
        assert_eq!(status, 200, "{worklist}");
        assert_eq!(worklist["cohort"], "pilot");
        let ids: Vec<i64> = worklist["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .flat_map(|g| g["items"].as_array().cloned().unwrap_or_default())
            .filter_map(|i| i["account_id"].as_i64())
            .collect();
        assert!(
            !ids.is_empty(),
            "the pilot's accounts need action somewhere"
        );
        for id in ids {
            assert_eq!(
                scalar(
                    &app,
                    "SELECT count(*) FROM account_cohorts ac JOIN cohorts c ON c.id = ac.cohort_id \
                     WHERE c.name = 'pilot' AND ac.account_id = ?",
                    id
                )
                .await,
                1,
                "account {id} is not in the pilot"
            );
        }
    })
}
