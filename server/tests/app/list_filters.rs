//! The accounts list's filters through its server function: a CSM's own book by default, owner,
//! cohort, current outcome and renewal window.

use crate::{client_signed_in_as, run, spawn_app_with_demo, TestApp};
use app::accounts::api::ListAccounts;
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};

async fn list(client: &reqwest::Client, app: &TestApp, query: Value) -> Value {
    let response = client
        .post(app.url(ListAccounts::PATH))
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("json")
}

#[test]
fn a_csm_lands_on_their_own_book_and_can_widen_it() {
    run(async {
        let app = spawn_app_with_demo(250).await;
        let csm = client_signed_in_as(&app, "csm@keystone.demo").await;
        let csm_id: i64 =
            sqlx::query_scalar("SELECT id FROM users WHERE email = 'csm@keystone.demo'")
                .fetch_one(&app.db.read)
                .await
                .expect("id");
        let own: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts WHERE owner_id = ?")
            .bind(csm_id)
            .fetch_one(&app.db.read)
            .await
            .expect("count");
        let mine = list(&csm, &app, json!({})).await;
        assert_eq!(mine["total"], own);
        assert_eq!(mine["owner"], csm_id);
        let all = list(&csm, &app, json!({"owner": "All"})).await;
        assert_eq!(all["total"], 250);
        // Leaders and admins see every account unless they pick an owner.
        assert_eq!(list(&app.client, &app, json!({})).await["total"], 250);
        assert_eq!(
            list(&app.client, &app, json!({"owner": {"User": csm_id}})).await["total"],
            own
        );
    })
}

#[test]
fn current_outcome_cohort_and_renewal_filters_split_the_book() {
    run(async {
        let app = spawn_app_with_demo(250).await;
        let today = chrono::Utc::now().date_naive().to_string();
        let with: i64 = list(&app.client, &app, json!({"has_current": true})).await["total"]
            .as_i64()
            .expect("total");
        let without: i64 = list(&app.client, &app, json!({"has_current": false})).await["total"]
            .as_i64()
            .expect("total");
        assert_eq!(with + without, 250);
        let expected: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM accounts a WHERE EXISTS (SELECT 1 FROM outcomes o WHERE \
             o.account_id = a.id AND o.valid_from <= ?1 AND o.expires_on >= ?1 \
             AND (o.retired_on IS NULL OR o.retired_on > ?1))",
        )
        .bind(&today)
        .fetch_one(&app.db.read)
        .await
        .expect("count");
        assert_eq!(with, expected);

        let pilots = list(&app.client, &app, json!({"cohort": "pilot"})).await;
        assert!(pilots["total"].as_i64().expect("present") > 0);
        assert!(pilots["items"]
            .as_array()
            .expect("present")
            .iter()
            .all(|a| a["cohorts"]
                .as_array()
                .expect("present")
                .contains(&json!("pilot"))));

        let soon = list(
            &app.client,
            &app,
            json!({"renewal_within": 90, "sort": "renewal"}),
        )
        .await;
        let limit = (chrono::Utc::now().date_naive() + chrono::Days::new(90)).to_string();
        for account in soon["items"].as_array().expect("present") {
            let renewal = account["renewal_date"].as_str().expect("renewal");
            assert!(
                renewal >= today.as_str() && renewal <= limit.as_str(),
                "{renewal}"
            );
        }
    })
}
