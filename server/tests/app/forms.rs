//! Forms without JavaScript: a refused post renders the page again with the input kept and the
//! errors next to their fields; an accepted one redirects. Also the admin's "Add a user".

use crate::{anonymous, client_signed_in_as, run, spawn_app_with_demo};
use app::admin::api::AddUser;
use leptos::server_fn::ServerFn;
use server::demo;

fn add_user_form(email: &str, password: &str) -> Vec<(&'static str, String)> {
    vec![
        ("_fn", <AddUser as ServerFn>::PATH.to_string()),
        ("_form", "add-user".to_string()),
        ("name", "Rita Moreno".to_string()),
        ("email", email.to_string()),
        ("role", "leader".to_string()),
        ("password", password.to_string()),
    ]
}

#[test]
fn a_refused_form_post_comes_back_with_the_input_and_the_errors_but_not_the_password() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let response = app
            .client
            .post(app.url("/admin"))
            .form(&add_user_form("rita-at-example.com", "too short"))
            .send()
            .await
            .expect("post");
        assert_eq!(response.status().as_u16(), 400);
        let page = response.text().await.expect("page");
        assert!(
            page.contains(r#"value="rita-at-example.com""#),
            "email kept"
        );
        assert!(page.contains(r#"value="Rita Moreno""#), "name kept");
        assert!(page.contains("must be an email address"));
        assert!(page.contains("must be at least 12 characters"));
        assert!(page.contains(r#"aria-invalid="true""#));
        assert!(!page.contains("too short"), "a password is never echoed");
        let users: i64 =
            sqlx::query_scalar("SELECT count(*) FROM users WHERE name = 'Rita Moreno'")
                .fetch_one(&app.db.read)
                .await
                .expect("count");
        assert_eq!(users, 0, "nothing was written");
    })
}

#[test]
fn an_accepted_form_post_redirects_and_the_new_user_signs_in() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let response = app
            .client
            .post(app.url("/admin"))
            .form(&add_user_form("Rita@Example.com", "a long enough secret"))
            .send()
            .await
            .expect("post");
        assert_eq!(response.status().as_u16(), 303);
        let location = response.headers()["location"].to_str().expect("location");
        assert!(location.starts_with("/admin?added="), "{location}");

        let signed_in = anonymous(&app)
            .post(app.url("/login"))
            .form(&[
                ("email", "rita@example.com"),
                ("password", "a long enough secret"),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(signed_in.status().as_u16(), 303, "the new user signs in");
        let audited: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM audit_event WHERE action = 'user.created' AND actor_kind = 'user'",
        )
        .fetch_one(&app.db.read)
        .await
        .expect("audit");
        assert_eq!(audited, 1);

        // The same email again is refused next to the email field.
        let again = app
            .client
            .post(app.url("/admin"))
            .form(&add_user_form("rita@example.com", "a long enough secret"))
            .send()
            .await
            .expect("post");
        assert_eq!(again.status().as_u16(), 400);
        assert!(again.text().await.expect("page").contains("already exists"));
    })
}

#[test]
fn only_admins_add_users_and_a_form_post_must_name_a_server_function() {
    run(async {
        let app = spawn_app_with_demo(3).await;
        let leader = client_signed_in_as(&app, "leader@keystone.demo").await;
        let refused = leader
            .post(app.url("/admin"))
            .form(&add_user_form("rita@example.com", demo::DEMO_PASSWORD))
            .send()
            .await
            .expect("post");
        assert_eq!(refused.status().as_u16(), 403);

        let stray = app
            .client
            .post(app.url("/accounts"))
            .form(&[("name", "x")])
            .send()
            .await
            .expect("post");
        assert_eq!(stray.status().as_u16(), 400);
    })
}
