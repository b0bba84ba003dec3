//! Target ramps and cohort start dates, as admins set them: validation with nothing written,
//! admins only, and the metrics' targets and the pilot report following at once.

use crate::{call, client_signed_in_as, get_json, run, spawn_app_with_demo};
use app::admin::targets::{RemoveMilestone, SaveMilestone, SetCohortStart};
use app::metrics::api::GetDashboard;
use leptos::server_fn::ServerFn;
use serde_json::json;

#[test]
fn admins_set_milestones_that_the_series_targets_follow() {
    run(async {
        let app = spawn_app_with_demo(50).await;
        let admin = client_signed_in_as(&app, "admin@keystone.demo").await;
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM targets")
                .fetch_one(&app.db.read)
                .await
                .expect("count")
        };
        let before = count().await;

        // Bad input: each field says what is wrong, and nothing is written.
        let (status, body) = call(
            &admin,
            &app,
            SaveMilestone::PATH,
            &[
                ("metric", "churn"),
                ("segment", ""),
                ("on_date", "2027-02-30"),
                ("percent", "150"),
            ],
        )
        .await;
        assert_eq!(status, 400, "{body}");
        let fields = crate::error_fields(&body);
        assert_eq!(fields, ["metric", "on_date", "percent"]);
        let (status, _) = call(
            &admin,
            &app,
            SaveMilestone::PATH,
            &[
                ("metric", "coverage"),
                ("segment", "Nowhere"),
                ("on_date", "2027-01-01"),
                ("percent", "90"),
            ],
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(count().await, before);

        // Leaders read the dashboard but do not set its targets.
        let leader = client_signed_in_as(&app, "leader@keystone.demo").await;
        let milestone = [
            ("metric", "keystone"),
            ("segment", "SMB"),
            ("on_date", "2026-12-04"),
            ("percent", "42.5"),
        ];
        assert_eq!(
            call(&leader, &app, SaveMilestone::PATH, &milestone).await.0,
            403
        );
        assert_eq!(count().await, before);

        // SMB gets a ramp of its own: its series follows it; the company's does not.
        let (status, _) = call(&admin, &app, SaveMilestone::PATH, &milestone).await;
        assert_eq!(status, 200);
        let series = "/api/v1/metrics/series?from=2026-12-04&to=2026-12-04";
        let (_, smb) = get_json(&admin, &app, &format!("{series}&segment=SMB")).await;
        assert_eq!(smb["targets"]["keystone"], json!([0.425]));
        let (_, company) = get_json(&admin, &app, series).await;
        assert_ne!(company["targets"]["keystone"], json!([0.425]));
        // The same day again replaces it.
        let again = [
            ("metric", "keystone"),
            ("segment", "SMB"),
            ("on_date", "2026-12-04"),
            ("percent", "50"),
        ];
        assert_eq!(call(&admin, &app, SaveMilestone::PATH, &again).await.0, 200);
        assert_eq!(count().await, before + 1);
        let (_, smb) = get_json(&admin, &app, &format!("{series}&segment=SMB")).await;
        assert_eq!(smb["targets"]["keystone"], json!([0.5]));

        // Removed, SMB follows the company-wide ramp again; the audit log has both.
        let id: i64 = sqlx::query_scalar("SELECT id FROM targets WHERE segment = 'SMB'")
            .fetch_one(&app.db.read)
            .await
            .expect("id");
        let (status, _) = call(
            &admin,
            &app,
            RemoveMilestone::PATH,
            &[("target_id", &id.to_string())],
        )
        .await;
        assert_eq!(status, 200);
        let (_, smb) = get_json(&admin, &app, &format!("{series}&segment=SMB")).await;
        assert_eq!(smb["targets"]["keystone"], company["targets"]["keystone"]);
        let audited: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM audit_event WHERE action IN ('target.saved', 'target.removed')",
        )
        .fetch_one(&app.db.read)
        .await
        .expect("audit");
        assert_eq!(audited, 3);
    })
}

#[test]
fn the_pilot_report_runs_from_the_pilot_cohorts_start_date() {
    run(async {
        let app = spawn_app_with_demo(300).await;
        let admin = client_signed_in_as(&app, "admin@keystone.demo").await;
        let report = || async {
            let (status, body) = crate::post_json(
                &admin,
                &app,
                GetDashboard::PATH,
                json!({"as_of": "2026-12-04", "filter": {"segment": null, "cohort": null, "owner_id": null}, "pilot": true}),
            )
            .await;
            assert_eq!(status, 200, "{body}");
            body
        };
        let body = report().await;
        assert_eq!(body["filter"]["cohort"], json!("pilot"));
        assert_eq!(
            body["pilot"]["started_on"],
            json!("2026-03-09"),
            "the demo's: 270 days back"
        );
        assert_eq!(
            body["trend"][0]["on"],
            json!("2026-03-13"),
            "weekly back to the start"
        );
        let (_, pilot) = get_json(
            &admin,
            &app,
            "/api/v1/metrics?as_of=2026-03-09&cohort=pilot",
        )
        .await;
        assert_eq!(body["baseline"]["keystone"], pilot["keystone"]);

        let (status, body) = call(
            &admin,
            &app,
            SetCohortStart::PATH,
            &[("cohort", "pilot"), ("started_on", "2026-10-01")],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let body = report().await;
        assert_eq!(body["pilot"]["started_on"], json!("2026-10-01"));
        assert_eq!(body["trend"][0]["on"], json!("2026-10-02"));
        assert_eq!(
            call(
                &admin,
                &app,
                SetCohortStart::PATH,
                &[("cohort", "nobody"), ("started_on", "")]
            )
            .await
            .0,
            400
        );
    })
}
