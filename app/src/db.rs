//! The database handle shared by every feature's `db.rs` (server only).
//!
//! SQLite allows one writer at a time, so Keystone keeps two pools: `read`, with several
//! connections for concurrent reads, and `write`, with exactly one connection, on which every write
//! runs inside `BEGIN IMMEDIATE` (see [`Db::begin_write`]) so that a transaction never has to
//! upgrade its lock half-way and fail with "database is locked".

use crate::error::{AppError, AppResult};
use sqlx::{Pool, Sqlite, Transaction};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Read and write pools over the same database.
#[derive(Clone, Debug)]
pub struct Db {
    /// Pool for queries that only read.
    pub read: Pool<Sqlite>,
    /// Single-connection pool for writes.
    pub write: Pool<Sqlite>,
    /// How many write transactions committed: the metrics reload their records when it moved.
    pub commits: Arc<AtomicU64>,
    /// What the commits since the metrics last looked changed.
    pub changed: Arc<Mutex<Changed>>,
    /// The records the metrics engine last loaded.
    pub metrics: Arc<crate::metrics::db::Cache>,
}

impl Db {
    /// Both pools, with nothing committed or cached yet.
    pub fn new(read: Pool<Sqlite>, write: Pool<Sqlite>) -> Self {
        Self {
            read,
            write,
            commits: Arc::default(),
            changed: Arc::default(),
            metrics: Arc::default(),
        }
    }

    /// Starts a write transaction holding SQLite's write lock from its first statement.
    pub async fn begin_write(&self) -> AppResult<WriteTx> {
        Ok(WriteTx {
            tx: self.write.begin_with("BEGIN IMMEDIATE").await?,
            commits: self.commits.clone(),
            changed: self.changed.clone(),
            scope: Scope::Unknown,
        })
    }

    /// Runs a cheap query to prove the database answers.
    pub async fn ping(&self) -> AppResult<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }
}

/// Which records committed writes changed, as far as the metrics care.
#[derive(Debug, Default)]
pub struct Changed {
    /// Accounts whose records (facts, outcomes, reviews, contacts) changed.
    pub accounts: std::collections::BTreeSet<i64>,
    /// A write that did not say what it changed: everything is reloaded.
    pub everything: bool,
}

/// What a write transaction changes, as far as the metrics care.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Scope {
    /// Not said: assume anything.
    Unknown,
    /// Only these accounts' records.
    Accounts(Vec<i64>),
    /// Nothing the metrics read (a draft, a session).
    Nothing,
}

/// A write transaction: used like sqlx's, and counted when it commits so that figures computed
/// from the records (the metrics) know they changed, and which accounts did.
pub struct WriteTx {
    tx: Transaction<'static, Sqlite>,
    commits: Arc<AtomicU64>,
    changed: Arc<Mutex<Changed>>,
    scope: Scope,
}

impl WriteTx {
    /// Says that this transaction changes the records of account `id` (and, unless said for
    /// others too, no other account's).
    pub fn changes_account(&mut self, id: i64) {
        match &mut self.scope {
            Scope::Accounts(ids) => ids.push(id),
            _ => self.scope = Scope::Accounts(vec![id]),
        }
    }

    /// Says that this transaction changes nothing the metrics read.
    pub fn changes_no_metrics(&mut self) {
        self.scope = Scope::Nothing;
    }

    /// Commits, then records what changed and counts the commit.
    pub async fn commit(self) -> AppResult<()> {
        self.tx.commit().await?;
        {
            let mut changed = self.changed.lock().unwrap_or_else(|e| e.into_inner());
            match self.scope {
                Scope::Unknown => changed.everything = true,
                Scope::Accounts(ids) => changed.accounts.extend(ids),
                Scope::Nothing => {}
            }
        }
        self.commits.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

impl std::ops::Deref for WriteTx {
    type Target = Transaction<'static, Sqlite>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// The database handle of the current request, provided by the server as Leptos context.
pub fn use_db() -> AppResult<Db> {
    leptos::prelude::use_context::<Db>().ok_or_else(|| {
        tracing::error!("no database in the request context");
        AppError::Internal
    })
}

/// A timestamp as Keystone stores them: RFC 3339, UTC, milliseconds (`2026-12-04T12:00:00.000Z`).
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The current time as Keystone stores it.
pub fn now_timestamp() -> String {
    timestamp(chrono::Utc::now())
}

/// A `LIKE` pattern (with `ESCAPE '\\'`) matching `text` literally anywhere in a value.
pub fn like_contains(text: &str) -> String {
    format!("%{}%", escape_like(text))
}

/// A `LIKE` pattern (with `ESCAPE '\\'`) matching values that start with `text` literally.
pub fn like_prefix(text: &str) -> String {
    format!("{}%", escape_like(text))
}

/// Escapes LIKE wildcards so that user text matches literally.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(ch);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::{like_contains, like_prefix};

    #[test]
    fn search_text_matches_wildcards_literally() {
        assert_eq!(like_contains("50%_off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(like_prefix("user_"), "user\\_%");
    }
}
