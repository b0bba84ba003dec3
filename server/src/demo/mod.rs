//! `keystone demo`: fills an empty database with deterministic, realistic demo data.

mod db;
mod generate;
mod names;
mod rng;

use anyhow::{bail, Context};
use app::{audit::model::Actor, db::Db};
use chrono::NaiveDate;
use std::{fmt, time::Instant};

/// The password of every demo user (the demo database only; README and `make run` print it).
pub const DEMO_PASSWORD: &str = "keystone-demo-2026";

/// Accounts generated and inserted per step; progress is reported after each.
const CHUNK: usize = 5_000;

/// What to generate.
#[derive(Clone, Debug)]
pub struct DemoPlan {
    /// Number of accounts.
    pub accounts: usize,
    /// Random seed.
    pub seed: u64,
    /// The last day of the two years of history.
    pub today: NaiveDate,
}

/// What was generated, for the command's output.
#[derive(Clone, Debug, Default)]
pub struct DemoSummary {
    /// Users created (one per role and the CSMs).
    pub users: usize,
    /// Accounts created.
    pub accounts: usize,
    /// Contacts created.
    pub contacts: usize,
    /// Business Outcomes created.
    pub outcomes: usize,
    /// Outcome revisions written.
    pub revisions: usize,
    /// Reviews created (held, scheduled and cancelled).
    pub reviews: usize,
    /// Renewals created.
    pub renewals: usize,
    /// Wall time of the generation.
    pub seconds: f64,
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "demo: created {} users, {} accounts, {} contacts, {} outcomes ({} revisions), {} reviews and {} renewals in {:.1} s",
            self.users, self.accounts, self.contacts, self.outcomes, self.revisions, self.reviews,
            self.renewals, self.seconds
        )
    }
}

/// Generates the demo into `db`, in one transaction: either all of it lands or none.
///
/// Refuses a database that already has users or accounts, so real data is never mixed with demo
/// data. `progress(done, total)` is called after each chunk of accounts.
pub async fn generate(
    db: &Db,
    plan: &DemoPlan,
    mut progress: impl FnMut(usize, usize),
) -> anyhow::Result<DemoSummary> {
    if plan.accounts == 0 {
        bail!("--accounts must be at least 1");
    }
    let started = Instant::now();
    let now = format!("{}T08:00:00Z", plan.today);
    let mut tx = db.begin_write().await?;
    if !db::is_empty(&mut tx).await? {
        bail!("the database already has users or accounts; the demo only fills an empty database");
    }
    let (users, csms) = generate::users(plan.accounts, plan.seed);
    // One hash for all demo users: hashing a thousand CSMs one by one would take most of a minute.
    let password_hash = app::users::password::hash(DEMO_PASSWORD.to_string()).await?;
    db::insert_users(&mut tx, &users, &password_hash, &now)
        .await
        .context("inserting users")?;
    db::insert_targets(&mut tx, &generate::targets(plan.today))
        .await
        .context("inserting targets")?;
    let pilot = db::pilot_cohort(&mut tx, generate::pilot_start(plan.today))
        .await
        .context("creating the pilot cohort")?;

    let mut summary = DemoSummary {
        users: users.len(),
        ..DemoSummary::default()
    };
    let mut ids = generate::Ids::default();
    let mut done = 0;
    while done < plan.accounts {
        let end = (done + CHUNK).min(plan.accounts);
        let mut bundle = generate::Bundle::default();
        for index in done..end {
            generate::account(index, plan.seed, plan.today, &csms, &mut ids, &mut bundle);
        }
        db::insert_bundle(&mut tx, &bundle, pilot, &now)
            .await
            .context("inserting demo accounts")?;
        summary.accounts += bundle.accounts.len();
        summary.contacts += bundle.contacts.len();
        summary.outcomes += bundle.outcomes.len();
        summary.revisions += bundle.revisions.len();
        summary.reviews += bundle.reviews.len();
        summary.renewals += bundle.renewals.len();
        done = end;
        progress(done, plan.accounts);
    }
    app::audit::db::record(
        &mut tx,
        &Actor::system("keystone demo"),
        "demo.generated",
        ("database", None),
        &serde_json::json!({
            "seed": plan.seed,
            "today": plan.today.to_string(),
            "accounts": summary.accounts,
            "users": summary.users,
        }),
    )
    .await?;
    tx.commit().await?;
    // Fresh statistics let the query planner pick the right indexes on the new data.
    sqlx::query("ANALYZE").execute(&db.write).await?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}
