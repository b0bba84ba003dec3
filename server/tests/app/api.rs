//! The JSON API contract under /api/v1: shapes, field names, filters, paging, CSV, errors that
//! name the parameter, and who may call it.

use crate::{anonymous, get_json, run, spawn_app_with_demo, TestApp};
use app::{audit::model::Actor, users::model::Role};
use serde_json::Value;
use server::auth::tokens;

/// A client call with a bearer token for `role`; answers status and body text.
async fn with_token(app: &TestApp, role: Role, path: &str) -> (u16, String) {
    let token = tokens::create(
        &app.db,
        &format!("t-{}", role.as_str()),
        role,
        &Actor::system("test"),
    )
    .await
    .expect("token");
    let response = anonymous(app)
        .get(app.url(path))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[test]
fn accounts_list_with_the_contract_fields_filters_and_pages() {
    run(async {
        let app = spawn_app_with_demo(250).await;
        let (status, body) = with_token(&app, Role::Leader, "/api/v1/accounts?limit=2").await;
        assert_eq!(status, 200, "{body}");
        let body: Value = serde_json::from_str(&body).expect("json");
        assert_eq!(body["total"], 250);
        let items = body["items"].as_array().expect("items");
        assert_eq!(items.len(), 2);
        let mut fields: Vec<&str> = items[0]
            .as_object()
            .expect("account")
            .keys()
            .map(String::as_str)
            .collect();
        fields.sort_unstable();
        assert_eq!(
            fields,
            [
                "arr",
                "cadence_days",
                "cohorts",
                "end_date",
                "external_id",
                "id",
                "name",
                "owner_id",
                "owner_name",
                "renewal_date",
                "segment",
                "start_date"
            ]
        );
        assert!(
            items[0]["start_date"].as_str().expect("date").len() == 10,
            "YYYY-MM-DD"
        );

        let owner = items[0]["owner_id"].as_i64().expect("owner");
        let (_, mine) = get_json(
            &app.client,
            &app,
            &format!("/api/v1/accounts?owner_id={owner}&limit=1000"),
        )
        .await;
        let mine = mine["items"].as_array().expect("items");
        assert!(!mine.is_empty() && mine.iter().all(|a| a["owner_id"] == owner));

        let (_, pilots) = get_json(
            &app.client,
            &app,
            "/api/v1/accounts?cohort=pilot&limit=1000",
        )
        .await;
        let pilots = pilots["items"].as_array().expect("items");
        assert!(!pilots.is_empty());
        assert!(pilots.iter().all(|a| a["cohorts"]
            .as_array()
            .expect("present")
            .contains(&Value::from("pilot"))));

        let (_, second) = get_json(&app.client, &app, "/api/v1/accounts?limit=1&offset=1").await;
        assert_eq!(
            second["items"][0]["id"], items[1]["id"],
            "offset skips in the same order"
        );
    })
}

#[test]
fn bad_parameters_answer_400_naming_the_parameter() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        for (path, parameter) in [
            ("/api/v1/accounts?limit=1001", "limit"),
            ("/api/v1/accounts?limit=0", "limit"),
            ("/api/v1/accounts?offset=-1", "offset"),
            ("/api/v1/accounts?owner_id=abc", "owner_id"),
            ("/api/v1/accounts?colour=red", "colour"),
            ("/api/v1/accounts?format=xml", "format"),
            ("/api/v1/accounts/abc", "id"),
            ("/api/v1/outcomes?current_on=2026-13-01", "current_on"),
            ("/api/v1/outcomes?account_id=1.5", "account_id"),
            ("/api/v1/outcomes/x/revisions", "id"),
        ] {
            let (status, body) = get_json(&app.client, &app, path).await;
            assert_eq!(status, 400, "{path}: {body}");
            assert_eq!(body["parameter"], parameter, "{path}: {body}");
            assert!(body["message"].is_string(), "{path}");
        }
        let (status, body) = get_json(&app.client, &app, "/api/v1/accounts/999999").await;
        assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    })
}

#[test]
fn an_account_comes_with_its_contacts_and_outcomes_with_their_revisions() {
    run(async {
        let app = spawn_app_with_demo(20).await;
        let (status, account) = get_json(&app.client, &app, "/api/v1/accounts/1").await;
        assert_eq!(status, 200);
        assert_eq!(account["id"], 1);
        let contact = &account["contacts"][0];
        for field in ["id", "account_id", "name", "email", "title", "role"] {
            assert!(
                contact.get(field).is_some(),
                "contact lacks {field}: {contact}"
            );
        }

        let (status, outcomes) = get_json(&app.client, &app, "/api/v1/outcomes?account_id=1").await;
        assert_eq!(status, 200);
        let outcome = &outcomes["items"][0];
        for field in [
            "id",
            "account_id",
            "title",
            "description",
            "success_measure",
            "valid_from",
            "expires_on",
            "retired_on",
            "status",
            "revision",
            "updated_at",
        ] {
            assert!(
                outcome.get(field).is_some(),
                "outcome lacks {field}: {outcome}"
            );
        }
        assert!(outcomes["items"]
            .as_array()
            .expect("present")
            .iter()
            .all(|o| o["account_id"] == 1));

        let (_, current) = get_json(
            &app.client,
            &app,
            "/api/v1/outcomes?current_on=2026-12-04&limit=1000",
        )
        .await;
        for o in current["items"].as_array().expect("items") {
            let (from, to) = (
                o["valid_from"].as_str().expect("present"),
                o["expires_on"].as_str().expect("present"),
            );
            assert!(from <= "2026-12-04" && "2026-12-04" <= to, "{o}");
            assert!(
                o["retired_on"].as_str().is_none_or(|r| r > "2026-12-04"),
                "{o}"
            );
        }

        let id = outcome["id"].as_i64().expect("id");
        let (status, revisions) = get_json(
            &app.client,
            &app,
            &format!("/api/v1/outcomes/{id}/revisions"),
        )
        .await;
        assert_eq!(status, 200);
        let first = &revisions[0];
        assert_eq!(first["revision"], 1, "oldest first");
        for field in ["author_name", "changed_at", "reason"] {
            assert!(first[field].is_string(), "{field}: {first}");
        }
        assert!(first["changes"]["title"]["old"].is_null());
        assert!(first["changes"]["title"]["new"].is_string());
    })
}

#[test]
fn format_csv_gives_the_same_fields_as_csv() {
    run(async {
        let app = spawn_app_with_demo(20).await;
        let response = app
            .client
            .get(app.url("/api/v1/accounts?format=csv&limit=5"))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .expect("present")
            .starts_with("text/csv"));
        let text = response.text().await.expect("csv");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "id,name,external_id,owner_id,owner_name,segment,arr,start_date,end_date,renewal_date,cadence_days,cohorts"
        );
        assert_eq!(lines.len(), 6);
        let outcomes = app
            .client
            .get(app.url("/api/v1/outcomes?format=csv&limit=3"))
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("csv");
        assert!(outcomes.starts_with("id,account_id,title,description,success_measure,valid_from,expires_on,retired_on,status,revision,updated_at"));
    })
}

#[test]
fn tokens_read_with_their_role_and_anonymous_calls_are_refused() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        assert_eq!(
            with_token(&app, Role::Leader, "/api/v1/outcomes").await.0,
            200
        );
        let (status, body) = with_token(&app, Role::Viewer, "/api/v1/accounts").await;
        assert_eq!(status, 403, "viewers read dashboards, not accounts: {body}");
        let (status, body) = with_token(&app, Role::Admin, "/api/v1/metrics").await;
        assert_eq!(status, 200, "{body}");
        let token = tokens::create(&app.db, "viewer-bi", Role::Viewer, &Actor::system("test"))
            .await
            .expect("token");
        let response = anonymous(&app)
            .get(app.url("/api/v1/metrics"))
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await
            .expect("request");
        assert_eq!(
            response.status().as_u16(),
            200,
            "viewers read the dashboards' metrics"
        );
        for (route, sample) in server::api::ROUTES {
            let response = anonymous(&app)
                .get(app.url(sample))
                .send()
                .await
                .expect("request");
            assert_eq!(response.status().as_u16(), 401, "{route}");
        }
    })
}
