//! Creating and editing accounts: admins and leaders only, validated, audited, cohorts kept.

use crate::{client_signed_in_as, run, spawn_app_with_demo};
use app::accounts::api::{CreateAccount, EditAccount};
use leptos::server_fn::ServerFn;

#[test]
fn leaders_create_and_edit_accounts_and_csms_may_not() {
    run(async {
        let app = spawn_app_with_demo(20).await;
        let leader = client_signed_in_as(&app, "leader@keystone.demo").await;
        let form = [
            ("name", "Northwind Traders"),
            ("external_id", "CRM-NW-1"),
            ("segment", "SMB"),
            ("arr", "12,500"),
            ("start_date", "2026-01-15"),
            ("renewal_date", "2027-01-15"),
            ("cohorts", "pilot, new-logo"),
        ];
        let created = leader
            .post(app.url(CreateAccount::PATH))
            .form(&form)
            .send()
            .await
            .expect("create");
        assert_eq!(created.status().as_u16(), 200);
        let location: String = created.json().await.expect("location");
        let id: i64 = location
            .trim_start_matches("/accounts/")
            .parse()
            .expect("id");
        let cohorts: Vec<String> = sqlx::query_scalar(
            "SELECT c.name FROM account_cohorts ac JOIN cohorts c ON c.id = ac.cohort_id WHERE ac.account_id = ? ORDER BY c.name",
        )
        .bind(id)
        .fetch_all(&app.db.read)
        .await
        .expect("cohorts");
        assert_eq!(cohorts, ["new-logo", "pilot"]);

        let duplicate = leader
            .post(app.url(CreateAccount::PATH))
            .form(&form)
            .send()
            .await
            .expect("create");
        assert_eq!(duplicate.status().as_u16(), 400);
        assert!(duplicate
            .text()
            .await
            .expect("body")
            .contains("external_id"));

        let id_text = id.to_string();
        let edit = [
            ("account_id", id_text.as_str()),
            ("name", "Northwind Traders"),
            ("external_id", "CRM-NW-1"),
            ("segment", "Enterprise"),
            ("arr", "40000"),
            ("start_date", "2026-01-15"),
            ("cadence_days", "60"),
            ("cohorts", "pilot"),
        ];
        let edited = leader
            .post(app.url(EditAccount::PATH))
            .form(&edit)
            .send()
            .await
            .expect("edit");
        assert_eq!(edited.status().as_u16(), 200);
        let (segment, arr, cadence): (String, i64, Option<i64>) =
            sqlx::query_as("SELECT segment, arr, cadence_days FROM accounts WHERE id = ?")
                .bind(id)
                .fetch_one(&app.db.read)
                .await
                .expect("account");
        assert_eq!(
            (segment.as_str(), arr, cadence),
            ("Enterprise", 40_000, Some(60))
        );

        let bad = [
            ("account_id", id_text.as_str()),
            ("name", "X"),
            ("segment", "Galactic"),
            ("start_date", "2026-01-15"),
        ];
        let refused = leader
            .post(app.url(EditAccount::PATH))
            .form(&bad)
            .send()
            .await
            .expect("edit");
        assert_eq!(refused.status().as_u16(), 400);
        assert!(refused.text().await.expect("body").contains("segment"));

        let csm = client_signed_in_as(&app, "csm@keystone.demo").await;
        let forbidden = csm
            .post(app.url(EditAccount::PATH))
            .form(&edit)
            .send()
            .await
            .expect("edit");
        assert_eq!(forbidden.status().as_u16(), 403);

        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_event WHERE object_type = 'account' ORDER BY id",
        )
        .fetch_all(&app.db.read)
        .await
        .expect("audit");
        assert_eq!(actions, ["account.created", "account.updated"]);
    })
}
