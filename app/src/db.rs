//! The database handle shared by every feature's `db.rs` (server only).
//!
//! SQLite allows one writer at a time, so Keystone keeps two pools: `read`, with several
//! connections for concurrent reads, and `write`, with exactly one connection, on which every write
//! runs inside `BEGIN IMMEDIATE` (see [`Db::begin_write`]) so that a transaction never has to
//! upgrade its lock half-way and fail with "database is locked".

use crate::error::{AppError, AppResult};
use sqlx::{Pool, Sqlite, Transaction};

/// Read and write pools over the same database.
#[derive(Clone, Debug)]
pub struct Db {
    /// Pool for queries that only read.
    pub read: Pool<Sqlite>,
    /// Single-connection pool for writes.
    pub write: Pool<Sqlite>,
}

impl Db {
    /// Starts a write transaction holding SQLite's write lock from its first statement.
    pub async fn begin_write(&self) -> AppResult<Transaction<'static, Sqlite>> {
        Ok(self.write.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Runs a cheap query to prove the database answers.
    pub async fn ping(&self) -> AppResult<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }
}

/// The database handle of the current request, provided by the server as Leptos context.
pub fn use_db() -> AppResult<Db> {
    leptos::prelude::use_context::<Db>().ok_or_else(|| {
        tracing::error!("no database in the request context");
        AppError::Internal
    })
}
