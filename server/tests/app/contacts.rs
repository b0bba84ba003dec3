//! Contacts: add, edit, remove (archived when they attended a review), validation, and who may.

use crate::{client_signed_in_as, run, spawn_app_with_demo, TestApp};
use app::contacts::api::{AddContact, EditContact, RemoveContact};
use leptos::server_fn::ServerFn;

async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = client
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .expect("call");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

async fn own_and_other_account(app: &TestApp) -> (i64, i64) {
    let of = |same: bool| {
        let sql = if same {
            "SELECT a.id FROM accounts a JOIN users u ON u.id = a.owner_id WHERE u.email = 'csm@keystone.demo' ORDER BY a.id LIMIT 1"
        } else {
            "SELECT a.id FROM accounts a JOIN users u ON u.id = a.owner_id WHERE u.email <> 'csm@keystone.demo' ORDER BY a.id LIMIT 1"
        };
        sqlx::query_scalar::<_, i64>(sql).fetch_one(&app.db.read)
    };
    (
        of(true).await.expect("own"),
        of(false).await.expect("other"),
    )
}

#[test]
fn the_owner_adds_edits_and_removes_contacts_and_attendees_are_archived_not_deleted() {
    run(async {
        let app = spawn_app_with_demo(200).await;
        let csm = client_signed_in_as(&app, "csm@keystone.demo").await;
        let (own, other) = own_and_other_account(&app).await;
        let own_text = own.to_string();
        let form = |account: &str| {
            vec![
                ("account_id", account.to_string()),
                ("name", "Nadia Petrova".to_string()),
                ("email", "Nadia@Customer.example".to_string()),
                ("title", "COO".to_string()),
                ("role", "executive_sponsor".to_string()),
            ]
        };
        let pairs = |v: &Vec<(&'static str, String)>| {
            v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
        };
        let added = csm
            .post(app.url(AddContact::PATH))
            .form(&pairs(&form(&own_text)))
            .send()
            .await
            .expect("add");
        assert_eq!(added.status().as_u16(), 200);
        let other_text = other.to_string();
        let refused = csm
            .post(app.url(AddContact::PATH))
            .form(&pairs(&form(&other_text)))
            .send()
            .await
            .expect("add");
        assert_eq!(refused.status().as_u16(), 403, "another CSM's account");

        let (id, email): (i64, String) = sqlx::query_as(
            "SELECT id, email FROM contacts WHERE account_id = ? AND name = 'Nadia Petrova'",
        )
        .bind(own)
        .fetch_one(&app.db.read)
        .await
        .expect("contact");
        assert_eq!(email, "nadia@customer.example");
        let id_text = id.to_string();

        let (status, body) = post(
            &csm,
            &app,
            EditContact::PATH,
            &[
                ("contact_id", &id_text),
                ("name", ""),
                ("email", "nope"),
                ("role", "champion"),
            ],
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body.contains("\"name\"") && body.contains("\"email\""),
            "{body}"
        );
        let (status, _) = post(
            &csm,
            &app,
            EditContact::PATH,
            &[
                ("contact_id", &id_text),
                ("name", "Nadia Petrova-Lind"),
                ("email", ""),
                ("title", "CEO"),
                ("role", "decision_maker"),
            ],
        )
        .await;
        assert_eq!(status, 200);
        let role: String = sqlx::query_scalar("SELECT role FROM contacts WHERE id = ?")
            .bind(id)
            .fetch_one(&app.db.read)
            .await
            .expect("role");
        assert_eq!(role, "decision_maker");

        // Never at a review: deleted.
        assert_eq!(
            post(&csm, &app, RemoveContact::PATH, &[("contact_id", &id_text)])
                .await
                .0,
            200
        );
        let left: i64 = sqlx::query_scalar("SELECT count(*) FROM contacts WHERE id = ?")
            .bind(id)
            .fetch_one(&app.db.read)
            .await
            .expect("count");
        assert_eq!(left, 0);

        // At a review: archived, and the review keeps the name.
        let attendee: i64 = sqlx::query_scalar(
            "SELECT c.id FROM contacts c JOIN review_attendees r ON r.contact_id = c.id \
             WHERE c.account_id = ? LIMIT 1",
        )
        .bind(own)
        .fetch_one(&app.db.read)
        .await
        .expect("attendee");
        let attendee_text = attendee.to_string();
        assert_eq!(
            post(
                &csm,
                &app,
                RemoveContact::PATH,
                &[("contact_id", &attendee_text)]
            )
            .await
            .0,
            200
        );
        let archived: Option<String> =
            sqlx::query_scalar("SELECT archived_at FROM contacts WHERE id = ?")
                .bind(attendee)
                .fetch_one(&app.db.read)
                .await
                .expect("archived");
        assert!(archived.is_some());
        let page = csm
            .get(app.url(&format!("/accounts/{own}")))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert!(
            !page.contains(&format!("/contacts/{attendee}/edit")),
            "gone from the account"
        );

        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_event WHERE object_type = 'contact' ORDER BY id",
        )
        .fetch_all(&app.db.read)
        .await
        .expect("audit");
        assert_eq!(
            actions,
            [
                "contact.created",
                "contact.updated",
                "contact.deleted",
                "contact.archived"
            ]
        );
    })
}
