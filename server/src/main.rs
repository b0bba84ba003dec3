//! The `keystone` command: serve the web application, migrate the database, or fill it with demo
//! data. Configuration comes from flags or, for deployments, from the environment.

use anyhow::Context;
use app::{
    audit::model::Actor,
    error::AppError,
    users::{
        create::{create_user, NewUser},
        model::Role,
    },
};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use server::{
    auth::{tokens, AuthConfig},
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
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens for other systems.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Subcommand, Debug)]
enum TokenCommand {
    /// Create a token and print it once, on the last line (only its hash is stored).
    Create {
        /// A name that says who uses it, e.g. "bi-dashboard".
        #[arg(long)]
        name: String,
        /// The role it acts with: viewer or leader for BI tools.
        #[arg(long)]
        role: String,
    },
    /// Revoke the token with this name; calls with it are refused at once.
    Revoke {
        /// The token's name.
        name: String,
    },
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create a user. The password is read from the first line of standard input, unless
    /// --generate-password prints a new one (once; only its hash is stored).
    Add(UserAddArgs),
}

#[derive(clap::Args, Debug)]
struct UserAddArgs {
    /// Sign-in email (unique, case-insensitive).
    #[arg(long)]
    email: String,
    /// Display name.
    #[arg(long)]
    name: String,
    /// admin, leader, csm, pilot or viewer.
    #[arg(long)]
    role: String,
    /// Generate a strong password and print it instead of reading one from stdin.
    #[arg(long)]
    generate_password: bool,
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
    /// Send the session cookie only over HTTPS: set to true when Keystone is served behind TLS.
    #[arg(
        long,
        env = "KEYSTONE_SECURE_COOKIES",
        default_value_t = false,
        global = true
    )]
    secure_cookies: bool,
    /// Minutes of inactivity after which a session ends.
    #[arg(
        long,
        env = "KEYSTONE_SESSION_IDLE_MINUTES",
        default_value_t = 30,
        global = true
    )]
    session_idle_minutes: u64,
    /// Hours after sign-in at which a session ends, however active.
    #[arg(
        long,
        env = "KEYSTONE_SESSION_MAX_HOURS",
        default_value_t = 12,
        global = true
    )]
    session_max_hours: u64,
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
            println!(
                "demo: every demo user signs in with the password {}",
                demo::DEMO_PASSWORD
            );
            Ok(())
        }
        Command::User(UserCommand::Add(args)) => add_user(&cli.database_url, args).await,
        Command::Token(TokenCommand::Create { name, role }) => {
            let role = Role::parse(&role).ok_or_else(|| {
                anyhow::anyhow!("--role must be one of admin, leader, csm, pilot, viewer")
            })?;
            let db = database::open(&cli.database_url).await?;
            let token =
                tokens::create(&db, &name, role, &Actor::system("keystone token create")).await?;
            println!("Created {} token {name:?}. Send it as 'Authorization: Bearer <token>'; it is shown only now:", role.as_str());
            println!("{token}");
            Ok(())
        }
        Command::Token(TokenCommand::Revoke { name }) => {
            let db = database::open(&cli.database_url).await?;
            if !tokens::revoke(&db, &name, &Actor::system("keystone token revoke")).await? {
                anyhow::bail!("there is no live token named {name:?}");
            }
            println!("Revoked token {name:?}.");
            Ok(())
        }
    }
}

async fn add_user(database_url: &str, args: UserAddArgs) -> anyhow::Result<()> {
    let password = if args.generate_password {
        let mut raw = [0u8; 18];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut raw);
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, raw)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the password from stdin")?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    let db = database::open(database_url).await?;
    let (user_role, user_email) = (args.role.clone(), args.email.trim().to_lowercase());
    let user = NewUser {
        email: args.email,
        name: args.name,
        role: args.role,
        password: password.clone(),
    };
    let id = create_user(&db, user, &Actor::system("keystone user add"))
        .await
        .map_err(|error| match error {
            AppError::Validation(fields) => anyhow::anyhow!(
                "{}",
                fields
                    .iter()
                    .map(|f| format!("--{} {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            other => anyhow::anyhow!("creating the user failed: {other}"),
        })?;
    println!("Created {} user {} (id {id}).", user_role, user_email);
    if args.generate_password {
        println!("Password (shown once):");
        println!("{password}");
    }
    Ok(())
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
        auth: AuthConfig {
            secure_cookies: args.secure_cookies,
            idle_timeout: std::time::Duration::from_secs(args.session_idle_minutes * 60),
            absolute_timeout: std::time::Duration::from_secs(args.session_max_hours * 3600),
        },
        throttle: Default::default(),
    };
    // The metrics engine reads every dated record once (seconds at 100k accounts): in the
    // background from the start, so that the first dashboard does not wait for it.
    let warm = db.clone();
    tokio::spawn(async move {
        if let Err(error) = app::metrics::db::current(&warm).await {
            tracing::warn!(%error, "could not load the metrics' records in advance");
        }
    });
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    tracing::info!(url = %format!("http://{}", args.addr), "Keystone is serving");
    let app = build_router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
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
