//! The `keystone` command: serve the web application, migrate the database, or fill it with demo
//! data. Configuration comes from flags or, for deployments, from the environment.

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use server::{
    database,
    demo::{self, DemoPlan},
    router::{build_router, site_options, AppState},
};
use std::net::SocketAddr;
use tracing_subscriber::EnvFilter;

/// Keystone: Business Outcome coverage and review tracking for Customer Success teams.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    /// SQLite database URL; the file and its folder are created when missing.
    #[arg(long, env = "DATABASE_URL", default_value = database::DEFAULT_DATABASE_URL, global = true)]
    database_url: String,

    /// Log output: `text` for people, `json` for log collectors. Verbosity is set by RUST_LOG
    /// (e.g. `RUST_LOG=debug`; default `info`).
    #[arg(
        long,
        env = "KEYSTONE_LOG_FORMAT",
        default_value = "text",
        global = true
    )]
    log_format: LogFormat,

    #[command(flatten)]
    serve: ServeArgs,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web application (the default): migrates the database first.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create (and migrate) the database if needed, then fill it with deterministic demo data.
    Demo(DemoArgs),
}

#[derive(clap::Args, Debug)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(
        long,
        env = "LEPTOS_SITE_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    addr: SocketAddr,
    /// Folder of the built site (WASM, JS, CSS and public files), as `cargo leptos build` makes it.
    #[arg(
        long,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    site_root: String,
}

#[derive(clap::Args, Debug)]
struct DemoArgs {
    /// Number of accounts to create (about one CSM per 100 accounts).
    #[arg(long, default_value_t = 1000)]
    accounts: usize,
    /// Random seed: the same seed and date give the same data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The day the two years of history end (default: today, UTC).
    #[arg(long)]
    today: Option<NaiveDate>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_tracing(cli.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&cli.database_url, cli.serve).await,
        Command::Migrate => {
            database::open(&cli.database_url).await?;
            println!("Database {} is up to date.", cli.database_url);
            Ok(())
        }
        Command::Demo(args) => {
            let db = database::open(&cli.database_url).await?;
            let plan = DemoPlan {
                accounts: args.accounts,
                seed: args.seed,
                today: args
                    .today
                    .unwrap_or_else(|| chrono::Utc::now().date_naive()),
            };
            let summary = demo::generate(&db, &plan, |done, total| {
                println!("demo: {done}/{total} accounts");
            })
            .await?;
            println!("{summary}");
            Ok(())
        }
    }
}

fn init_tracing(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

async fn serve(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let db = database::open(database_url).await?;
    let state = AppState {
        db: db.clone(),
        leptos_options: site_options(&args.site_root, args.addr),
    };
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    tracing::info!(url = %format!("http://{}", args.addr), "Keystone is serving");
    axum::serve(listener, build_router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server failed")?;
    db.write.close().await;
    db.read.close().await;
    tracing::info!("Keystone stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM, letting in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
