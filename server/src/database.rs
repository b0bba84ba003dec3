//! Opening the SQLite database the way Keystone needs it, and running migrations.

use anyhow::Context;
use app::db::Db;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::{str::FromStr, time::Duration};

/// Default location of the embedded database, relative to the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/keystone.db";

/// Connections of the read pool: enough for two cores and a few waiting requests.
const READ_CONNECTIONS: u32 = 8;

/// Bytes of the database file mapped into memory (a limit, not an allocation).
const MMAP_BYTES: u64 = 1 << 30;

/// How long a statement waits for a lock before failing with "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens (creating if needed) the database at `url`: WAL mode, foreign keys on, a busy timeout,
/// one writer connection and a pool of readers.
pub async fn connect(url: &str) -> anyhow::Result<Db> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("DATABASE_URL {url:?} is not a valid SQLite URL"))?
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT)
        // Reads come straight from the OS page cache instead of being copied in per connection:
        // list counts that touch every account take half the time at 100k accounts.
        .pragma("mmap_size", MMAP_BYTES.to_string());
    if let Some(dir) = options.get_filename().parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the database folder {}", dir.display()))?;
        }
    }
    // The writer first: it creates the file and switches it to WAL for the readers.
    let write = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone().create_if_missing(true))
        .await
        .with_context(|| format!("cannot open the database {url}"))?;
    let read = SqlitePoolOptions::new()
        .max_connections(READ_CONNECTIONS)
        .connect_with(options.read_only(true))
        .await
        .with_context(|| format!("cannot open the database {url} for reading"))?;
    Ok(Db::new(read, write))
}

/// Applies the migrations in `migrations/` that the database has not seen yet.
pub async fn migrate(db: &Db) -> anyhow::Result<()> {
    sqlx::migrate!("../migrations")
        .run(&db.write)
        .await
        .context("database migration failed")?;
    Ok(())
}

/// Opens and migrates in one step, as `serve` and `demo` do at start-up.
pub async fn open(url: &str) -> anyhow::Result<Db> {
    let db = connect(url).await?;
    migrate(&db).await?;
    Ok(db)
}
