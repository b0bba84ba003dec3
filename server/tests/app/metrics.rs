//! The metrics API against a brute-force computation over the raw rows, for many dates; its
//! parameters; and a write showing in the next request's figures.

use crate::{get_json, run, spawn_app_with_demo, TestApp};
use app::reviews::api::RecordReview;
use chrono::{Days, NaiveDate};
use leptos::server_fn::ServerFn;
use serde_json::json;

/// Active, covered, on-schedule accounts and expiring outcomes on `day`, straight from the tables
/// (one query per date, as a report would do it).
async fn brute_force(app: &TestApp, day: NaiveDate, segment: Option<&str>) -> (i64, i64, i64, i64) {
    let day = day.to_string();
    let (active, covered, on_schedule): (i64, i64, i64) = sqlx::query_as(
        "WITH a AS ( \
           SELECT acc.id, acc.start_date, coalesce(acc.cadence_days, s.cadence_days) AS cadence, \
                  (SELECT max(r.held_on) FROM reviews r WHERE r.account_id = acc.id \
                     AND r.held_on <= ?1 AND r.cancelled_at IS NULL \
                     AND EXISTS (SELECT 1 FROM assessments x WHERE x.review_id = r.id)) AS last \
           FROM accounts acc JOIN segments s ON s.name = acc.segment \
           WHERE acc.start_date <= ?1 AND (acc.end_date IS NULL OR acc.end_date > ?1) \
             AND (?2 IS NULL OR acc.segment = ?2)) \
         SELECT count(*), \
                coalesce(sum(EXISTS (SELECT 1 FROM outcomes o WHERE o.account_id = a.id \
                     AND o.valid_from <= ?1 AND ?1 <= o.expires_on \
                     AND (o.retired_on IS NULL OR o.retired_on > ?1))), 0), \
                coalesce(sum(julianday(?1) < julianday(max(coalesce(last, start_date), start_date)) \
                     + cadence + 14), 0) \
         FROM a",
    )
    .bind(&day)
    .bind(segment)
    .fetch_one(&app.db.read)
    .await
    .expect("brute force");
    let expiring: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outcomes o JOIN accounts acc ON acc.id = o.account_id \
         WHERE acc.start_date <= ?1 AND (acc.end_date IS NULL OR acc.end_date > ?1) \
           AND (?2 IS NULL OR acc.segment = ?2) \
           AND o.valid_from <= ?1 AND ?1 <= o.expires_on \
           AND (o.retired_on IS NULL OR o.retired_on > ?1) \
           AND julianday(o.expires_on) - julianday(?1) <= 30",
    )
    .bind(&day)
    .bind(segment)
    .fetch_one(&app.db.read)
    .await
    .expect("expiring");
    (active, covered, on_schedule, expiring)
}

#[test]
fn the_metrics_agree_with_the_raw_rows_on_every_date() {
    run(async {
        let app = spawn_app_with_demo(300).await;
        let first: NaiveDate = "2024-12-05".parse().expect("date");
        for week in (0..=104).step_by(8) {
            let day = first + Days::new(7 * week);
            for segment in [None, Some("SMB")] {
                let path = match segment {
                    None => format!("/api/v1/metrics?as_of={day}"),
                    Some(s) => format!("/api/v1/metrics?as_of={day}&segment={s}"),
                };
                let (status, m) = get_json(&app.client, &app, &path).await;
                assert_eq!(status, 200, "{m}");
                let (active, covered, on_schedule, expiring) =
                    brute_force(&app, day, segment).await;
                let got = (
                    m["active_accounts"].as_i64().expect("active"),
                    m["covered_accounts"].as_i64().expect("covered"),
                    m["on_schedule_accounts"].as_i64().expect("on schedule"),
                    m["expiring_outcomes"].as_i64().expect("expiring"),
                );
                assert_eq!(
                    got,
                    (active, covered, on_schedule, expiring),
                    "{day} {segment:?}"
                );
                let coverage = m["coverage"].as_f64().expect("coverage");
                let expected = if active == 0 {
                    0.0
                } else {
                    covered as f64 / active as f64
                };
                assert!((coverage - expected).abs() < 1e-12, "{day}");
                assert_eq!(m["as_of"], json!(day.to_string()));
            }
        }
        // The series answers the same figures at the same dates.
        let (status, series) = get_json(
            &app.client,
            &app,
            &format!("/api/v1/metrics/series?from={first}&to=2026-12-04&step=month"),
        )
        .await;
        assert_eq!(status, 200, "{series}");
        let points = series["points"].as_array().expect("points");
        assert_eq!(points.len(), 24);
        assert_eq!(
            series["targets"]["coverage"].as_array().map(Vec::len),
            Some(24)
        );
        let day: NaiveDate = points[5]["as_of"]
            .as_str()
            .expect("as_of")
            .parse()
            .expect("date");
        let (active, covered, _, _) = brute_force(&app, day, None).await;
        assert_eq!(points[5]["active_accounts"], json!(active));
        assert_eq!(points[5]["covered_accounts"], json!(covered));
    })
}

#[test]
fn breakdowns_add_up_and_bad_parameters_are_refused() {
    run(async {
        let app = spawn_app_with_demo(300).await;
        let (_, total) = get_json(&app.client, &app, "/api/v1/metrics?as_of=2026-12-04").await;
        let (status, by_segment) = get_json(
            &app.client,
            &app,
            "/api/v1/metrics/breakdown?as_of=2026-12-04&by=segment",
        )
        .await;
        assert_eq!(status, 200, "{by_segment}");
        let items = by_segment["items"].as_array().expect("items");
        let sum: i64 = items
            .iter()
            .filter_map(|i| i["active_accounts"].as_i64())
            .sum();
        assert_eq!(json!(sum), total["active_accounts"]);
        assert!(items.iter().all(|i| i["key"].is_string()));
        let (status, csv) = app
            .get("/api/v1/metrics/breakdown?by=segment&format=csv")
            .await;
        assert_eq!(status, 200);
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some(
                "key,name,as_of,active_accounts,covered_accounts,coverage,on_schedule_accounts,\
                 keystone,executive_participation,stale_outcomes,expiring_outcomes,\
                 early_warning_accounts,early_warning_arr,onboarding_gaps,on_track_outcomes,\
                 at_risk_outcomes,off_track_outcomes,achieved_outcomes,keystone_12_months,\
                 renewal_rate,renewed_arr,renewal_due_arr"
            )
        );
        assert_eq!(lines.count(), items.len(), "a row per segment");
        let (status, by_owner) =
            get_json(&app.client, &app, "/api/v1/metrics/breakdown?by=owner").await;
        assert_eq!(status, 200);
        assert!(by_owner["items"][0]["name"].is_string(), "{by_owner}");
        // The demo decides renewals, so CSMs have a renewal rate in [0, 1].
        let rates: Vec<f64> = by_owner["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["renewal_rate"].as_f64())
            .collect();
        assert!(!rates.is_empty() && rates.iter().all(|r| (0.0..=1.0).contains(r)));
        for (query, parameter) in [
            ("/api/v1/metrics?as_of=2026-02-30", "as_of"),
            ("/api/v1/metrics?owner_id=x", "owner_id"),
            (
                "/api/v1/metrics/series?from=2026-06-01&to=2026-01-01",
                "from",
            ),
            ("/api/v1/metrics/series?step=day", "step"),
            (
                "/api/v1/metrics/series?from=2000-01-01&to=2026-01-01",
                "from",
            ),
            ("/api/v1/metrics/breakdown?by=region", "by"),
            ("/api/v1/metrics?region=eu", "region"),
            ("/api/v1/metrics/accounts", "figure"),
            ("/api/v1/metrics/accounts?figure=happy", "figure"),
        ] {
            let (status, body) = get_json(&app.client, &app, query).await;
            assert_eq!(
                (status, body["parameter"].clone()),
                (400, json!(parameter)),
                "{query}"
            );
        }
    })
}

#[test]
fn the_accounts_behind_a_figure_are_the_ones_it_counts() {
    run(async {
        let app = spawn_app_with_demo(300).await;
        let day = "2026-12-04";
        let (_, figures) =
            get_json(&app.client, &app, &format!("/api/v1/metrics?as_of={day}")).await;
        for (figure, count) in [
            (
                "not_covered",
                figures["active_accounts"].as_i64().expect("n")
                    - figures["covered_accounts"].as_i64().expect("n"),
            ),
            (
                "on_schedule",
                figures["on_schedule_accounts"].as_i64().expect("n"),
            ),
            (
                "early_warning",
                figures["early_warning_accounts"].as_i64().expect("n"),
            ),
        ] {
            let (status, page) = get_json(
                &app.client,
                &app,
                &format!("/api/v1/metrics/accounts?figure={figure}&as_of={day}&limit=1000"),
            )
            .await;
            assert_eq!(status, 200, "{page}");
            assert_eq!(page["total"], json!(count), "{figure}");
            let items = page["items"].as_array().expect("items");
            assert_eq!(items.len() as i64, count, "{figure}");
            let arr: Vec<i64> = items.iter().filter_map(|a| a["arr"].as_i64()).collect();
            assert!(arr.windows(2).all(|w| w[0] >= w[1]), "largest ARR first");
        }
        // Without a limit, the CSV has every account: a header and a row each.
        let (status, csv) = app
            .get(&format!(
                "/api/v1/metrics/accounts?figure=active&as_of={day}&format=csv"
            ))
            .await;
        assert_eq!(status, 200);
        assert!(csv.starts_with("id,name,external_id,owner_id"));
        assert_eq!(
            csv.lines().count() as i64,
            1 + figures["active_accounts"].as_i64().expect("n")
        );
        // A CSM's drill-down lists only their accounts.
        let (_, page) = get_json(
            &app.client,
            &app,
            &format!("/api/v1/metrics/accounts?figure=active&as_of={day}&owner_id=2"),
        )
        .await;
        let items = page["items"].as_array().expect("items");
        assert!(items.iter().all(|a| a["owner_id"] == json!(2)), "{page}");
    })
}

#[test]
fn a_recorded_review_moves_the_keystone_in_the_next_request() {
    run(async {
        let app = spawn_app_with_demo(300).await;
        let today = chrono::Utc::now().date_naive();
        let path = format!("/api/v1/metrics?as_of={today}");
        let (_, before) = get_json(&app.client, &app, &path).await;
        // An active account that is not on schedule but has a current outcome to assess.
        let (account, outcome): (i64, i64) = sqlx::query_as(
            "SELECT a.id, o.id FROM accounts a JOIN outcomes o ON o.account_id = a.id \
             WHERE a.start_date <= date('now', '-400 days') AND a.end_date IS NULL \
               AND o.valid_from <= date('now') AND o.expires_on >= date('now') \
               AND o.retired_on IS NULL \
               AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.account_id = a.id \
                               AND r.held_on >= date('now', '-400 days')) \
             LIMIT 1",
        )
        .fetch_one(&app.db.read)
        .await
        .expect("an account without a recent review");
        let response = app
            .client
            .post(app.url(RecordReview::PATH))
            .form(&[
                ("account_id", account.to_string()),
                ("held_on", today.to_string()),
                ("assessments[0][outcome_id]", outcome.to_string()),
                ("assessments[0][status]", "on_track".to_string()),
            ])
            .send()
            .await
            .expect("record");
        assert_eq!(response.status().as_u16(), 200);
        let (_, after) = get_json(&app.client, &app, &path).await;
        assert_eq!(
            after["on_schedule_accounts"].as_i64(),
            before["on_schedule_accounts"].as_i64().map(|n| n + 1)
        );
        assert!(after["keystone"].as_f64() > before["keystone"].as_f64());
    })
}
