//! The command line: what each command takes, and running it.

use std::{io::Write, net::SocketAddr, path::PathBuf, process::ExitCode, time::Duration};

use clap::{Parser, Subcommand};
use warta_core::{
    account::{Role, check_password, normalize_email},
    secret,
};
use warta_store::{Store, accounts};
use warta_web::AppState;

use crate::{config::Config, demo, import};

/// Warta: a news publishing platform for Indonesian newsrooms.
///
/// Every setting can come from `warta.toml` in the data dir, from a WARTA_* environment
/// variable, or from a flag; flags win over the environment, which wins over the file.
#[derive(Debug, Parser)]
#[command(name = "warta", version, about, long_about)]
pub struct Cli {
    /// Folder holding the SQLite database, warta.toml and (later) media and the search index.
    #[arg(
        long,
        env = "WARTA_DATA_DIR",
        default_value = "warta-data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Database to use instead of the embedded SQLite file, e.g. postgres://user@host/db.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the reader site and the API.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "WARTA_ADDR")]
        addr: Option<SocketAddr>,
        /// Load the demo newsroom (once) and name the site after it if no name is configured.
        #[arg(long)]
        demo: bool,
        /// Render every page from the database instead of serving it from memory (for
        /// measuring; the cache never serves stale pages).
        #[arg(long, env = "WARTA_NO_PAGE_CACHE")]
        no_page_cache: bool,
        /// Leave out the automatic "Baca juga" block under articles (also `related_articles =
        /// false` in warta.toml).
        #[arg(long)]
        no_related_articles: bool,
        /// Seconds to let requests in flight finish after SIGTERM or Ctrl-C.
        #[arg(long, env = "WARTA_GRACE_SECONDS", default_value_t = 10)]
        grace_seconds: u64,
    },
    /// Import articles: captured article pages as plain text, or Warta JSON (as written by
    /// `export` and returned by the API). Each file is imported in one transaction.
    Import {
        /// Section for imported pages that do not name one.
        #[arg(long)]
        section: Option<String>,
        /// Files to import (`.json` for Warta JSON, anything else as page text).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Write every published article (scheduled ones too) as Warta JSON to standard output (or
    /// --output). Drafts, revisions, comments and accounts are not in it: for a backup, copy
    /// the database (and the media folder).
    Export {
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Rebuild the search index from the database (stop `warta serve` first; a server also
    /// rebuilds a missing index by itself when it starts).
    Reindex,
    /// Show what the Indonesian analyzer makes of a text: one `word -> token` line per word, as
    /// search sees it.
    Analyze {
        /// Print only one stem per given word.
        #[arg(long)]
        stem_only: bool,
        #[arg(required = true)]
        text: Vec<String>,
    },
    /// Grant or revoke "+" membership by hand (when no payment provider is set up, or as a gift).
    Member {
        #[command(subcommand)]
        command: MemberCommand,
    },
    /// Manage accounts from the shell (the first admin starts here).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// Make the account a member until the end of DATE (YYYY-MM-DD, in the site's zone).
    Grant {
        email: String,
        #[arg(long)]
        until: String,
    },
    /// End the account's membership now.
    Revoke { email: String },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is read from WARTA_USER_PASSWORD or, if unset, from the
    /// first line of standard input.
    Add {
        /// reader, contributor, writer, editor or admin.
        #[arg(long, default_value = "reader")]
        role: String,
        /// Display name; defaults to the part of the address before the @.
        #[arg(long)]
        name: Option<String>,
        email: String,
    },
    /// List every account.
    List,
    /// Change an account's role.
    SetRole { email: String, role: String },
}

/// Runs the parsed command.
pub async fn run(cli: Cli) -> Result<ExitCode, crate::config::Error> {
    if let Command::Analyze { stem_only, text } = &cli.command {
        print!("{}", analyze(*stem_only, text));
        return Ok(ExitCode::SUCCESS);
    }
    std::fs::create_dir_all(&cli.data_dir)
        .map_err(|e| crate::config::Error::Io(cli.data_dir.display().to_string(), e))?;
    match cli.command {
        Command::Serve {
            addr,
            demo: with_demo,
            no_page_cache,
            no_related_articles,
            grace_seconds,
        } => {
            if with_demo {
                demo::prepare_config(&cli.data_dir)?;
            }
            let config = Config::load(&cli.data_dir, cli.database_url, addr)?;
            let store = Store::open(&config.database_url).await?;
            if with_demo {
                demo::load_once(&store, &cli.data_dir).await?;
            }
            let mut site = config.site;
            site.page_cache = site.page_cache && !no_page_cache;
            site.related_articles = site.related_articles && !no_related_articles;
            let listener = tokio::net::TcpListener::bind(config.addr)
                .await
                .map_err(|e| crate::config::Error::Io(config.addr.to_string(), e))?;
            let bound = listener
                .local_addr()
                .map_err(|e| crate::config::Error::Io(config.addr.to_string(), e))?;
            let name = site.name.clone();
            // Bodies an older version stored are rendered again while the site serves.
            let rerender = store.clone();
            tokio::spawn(async move {
                match warta_store::articles::render_stale_bodies(&rerender).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(articles = n, "bodies rendered again by this version"),
                    Err(error) => tracing::error!(%error, "rendering stored bodies again failed"),
                }
            });
            let state = AppState::new(store, site).await?;
            // Only now: a test or a supervisor that waits for this line may send requests at
            // once, and a server that failed to start must not have claimed to serve.
            tracing::info!(site = %name, "serving on http://{bound}");
            warta_web::serve(
                listener,
                state,
                shutdown_signal(),
                Duration::from_secs(grace_seconds),
            )
            .await
            .map_err(|e| crate::config::Error::Io(bound.to_string(), e))?;
            tracing::info!("stopped");
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { section, paths } => {
            let config = Config::load(&cli.data_dir, cli.database_url, None)?;
            let store = Store::open(&config.database_url).await?;
            let report = import::files(&store, &paths, section.as_deref()).await;
            store.close().await;
            eprintln!("{report}");
            Ok(if report.failed_files == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Reindex => {
            let config = Config::load(&cli.data_dir, cli.database_url, None)?;
            let store = open_existing(&config).await?;
            let result = reindex(&store, &cli.data_dir).await;
            store.close().await;
            result
        }
        Command::Analyze { .. } => Ok(ExitCode::SUCCESS),
        Command::Member { command } => {
            let config = Config::load(&cli.data_dir, cli.database_url, None)?;
            let store = open_existing(&config).await?;
            let result = member(&store, &config.site, command).await;
            store.close().await;
            result
        }
        Command::User { command } => {
            let config = Config::load(&cli.data_dir, cli.database_url, None)?;
            let store = Store::open(&config.database_url).await?;
            let result = user(&store, command).await;
            store.close().await;
            result
        }
        Command::Export { output } => {
            let config = Config::load(&cli.data_dir, cli.database_url, None)?;
            let store = open_existing(&config).await?;
            let json = import::export(&store).await?;
            store.close().await;
            match output {
                Some(path) => std::fs::write(&path, json)
                    .map_err(|e| crate::config::Error::Io(path.display().to_string(), e))?,
                None => {
                    let mut stdout = std::io::stdout().lock();
                    stdout
                        .write_all(json.as_bytes())
                        .and_then(|()| stdout.flush())
                        .map_err(|e| crate::config::Error::Io("stdout".into(), e))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `warta analyze`: each word and its token, or with `stem_only` one stem per word.
fn analyze(stem_only: bool, text: &[String]) -> String {
    let mut out = String::new();
    if stem_only {
        for word in text.iter().flat_map(|t| t.split_whitespace()) {
            out.push_str(&warta_core::search::stem::stem(&word.to_lowercase()));
            out.push('\n');
        }
        return out;
    }
    for analyzed in warta_search::analyzer::analyze(&text.join(" ")) {
        let token = analyzed.token.as_deref().unwrap_or("(stop word)");
        out.push_str(&format!("{} -> {token}\n", analyzed.word));
    }
    out
}

/// `warta reindex`: drops the index and builds it again from the store, with a progress bar.
async fn reindex(
    store: &Store,
    data_dir: &std::path::Path,
) -> Result<ExitCode, crate::config::Error> {
    let dir = data_dir.join("search");
    let fail = |message: String| crate::config::Error::Config {
        path: dir.display().to_string(),
        message,
    };
    // Takes the writer's lock, then empties the folder: a running server makes this fail
    // before anything is deleted under it.
    let index = std::sync::Arc::new(
        warta_search::SearchIndex::rebuild(&dir).map_err(|e| fail(e.to_string()))?,
    );
    let started = std::time::Instant::now();
    let synced = warta_web::indexing::sync(store, &index, progress_bar)
        .await
        .map_err(|e| fail(e.to_string()))?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "\nindexed {} articles in {seconds:.1} s ({:.0} articles/s)",
        synced.indexed,
        synced.indexed as f64 / seconds.max(0.001)
    );
    Ok(ExitCode::SUCCESS)
}

/// `[##########----------]  5,000/10,000 articles` on one line of standard error.
fn progress_bar(done: usize, total: usize) {
    const WIDTH: usize = 30;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
    eprint!(
        "\r[{}{}] {done}/{total} articles",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled)
    );
}

/// The store of a command that reads what is there (export, reindex, member). Without
/// `DATABASE_URL` the data dir's SQLite file is used, and opening one that does not exist
/// creates it: an export run on a node of a PostgreSQL site would answer `{"items": []}` from
/// a new, empty file. Refused instead, with the way out.
async fn open_existing(config: &Config) -> Result<Store, crate::config::Error> {
    if let Some(file) = config.database_url.strip_prefix("sqlite://") {
        let path = std::path::Path::new(file.split('?').next().unwrap_or(file));
        if !path.exists() {
            return Err(crate::config::Error::Config {
                path: path.display().to_string(),
                message: "no database here: set DATABASE_URL (or --database-url) to the \
                          site's database, or --data-dir to its data dir"
                    .into(),
            });
        }
    }
    Ok(Store::open(&config.database_url).await?)
}

/// Runs a `warta member` command.
async fn member(
    store: &Store,
    site: &warta_web::Site,
    command: MemberCommand,
) -> Result<ExitCode, crate::config::Error> {
    use chrono::TimeZone;
    let bad = |message: String| crate::config::Error::Config {
        path: "warta member".into(),
        message,
    };
    let zone = site.zone;
    let now = chrono::Utc::now();
    let mut tx = store.begin().await.map_err(warta_store::StoreError::from)?;
    let email = match &command {
        MemberCommand::Grant { email, .. } | MemberCommand::Revoke { email } => {
            normalize_email(email).map_err(|e| bad(e.to_string()))?
        }
    };
    let Some(user) = accounts::by_email(&mut tx, &email).await? else {
        return Err(bad(format!("no account has the address {email:?}")));
    };
    match command {
        MemberCommand::Grant { until, .. } => {
            let end = chrono::NaiveDate::parse_from_str(until.trim(), "%Y-%m-%d")
                .ok()
                .and_then(|day| day.and_hms_opt(23, 59, 59))
                .and_then(|local| zone.offset().from_local_datetime(&local).single())
                .map(|at| at.with_timezone(&chrono::Utc))
                .filter(|at| *at > now)
                .ok_or_else(|| {
                    bad(format!(
                        "--until {until:?}: expected a future date like 2027-12-31"
                    ))
                })?;
            warta_store::membership::grant(&mut tx, user.id, end, now).await?;
            println!("{email} is a member until {}", zone.stamp(end));
        }
        MemberCommand::Revoke { .. } => {
            // Stripe stops charging first; if it refuses, the membership stays as it was.
            if let Some(subscription) =
                warta_store::membership::subscription_of(&mut tx, user.id).await?
            {
                use warta_web::stripe::{Stop, stop};
                if !stop(site, &subscription, Stop::Now).await.map_err(bad)? {
                    eprintln!(
                        "warning: no Stripe key is set; stop subscription {subscription} in \
                         Stripe's dashboard"
                    );
                }
            }
            warta_store::membership::revoke(&mut tx, user.id, now).await?;
            println!("{email} is no longer a member");
        }
    }
    tx.commit().await.map_err(warta_store::StoreError::from)?;
    Ok(ExitCode::SUCCESS)
}

/// Runs a `warta user` command.
async fn user(store: &Store, command: UserCommand) -> Result<ExitCode, crate::config::Error> {
    let bad = |message: String| crate::config::Error::Config {
        path: "warta user".into(),
        message,
    };
    let parse_role = |text: &str| {
        Role::parse(text).ok_or_else(|| {
            bad(format!(
                "role {text:?}: expected reader, contributor, writer, editor or admin"
            ))
        })
    };
    let mut conn = store
        .pool()
        .acquire()
        .await
        .map_err(warta_store::StoreError::from)?;
    match command {
        UserCommand::Add { role, name, email } => {
            let role = parse_role(&role)?;
            let email = normalize_email(&email).map_err(|e| bad(e.to_string()))?;
            let password = match std::env::var("WARTA_USER_PASSWORD") {
                Ok(password) => password,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin()
                        .read_line(&mut line)
                        .map_err(|e| crate::config::Error::Io("stdin".into(), e))?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            check_password(&password).map_err(|e| bad(e.to_string()))?;
            let name =
                name.unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned());
            let hash = secret::hash_password(&password).map_err(bad)?;
            let id = accounts::create(
                &mut conn,
                &name,
                &email,
                &hash,
                role,
                true,
                chrono::Utc::now(),
            )
            .await?;
            println!("created account {id}: {email} ({})", role.as_str());
        }
        UserCommand::List => {
            for user in accounts::list(&mut conn).await? {
                let verified = if user.verified {
                    "verified"
                } else {
                    "unverified"
                };
                println!(
                    "{}\t{}\t{}\t{}\t{verified}",
                    user.id,
                    user.email,
                    user.role.as_str(),
                    user.name
                );
            }
        }
        UserCommand::SetRole { email, role } => {
            let role = parse_role(&role)?;
            let email = normalize_email(&email).map_err(|e| bad(e.to_string()))?;
            if !accounts::set_role(&mut conn, &email, role).await? {
                return Err(bad(format!("no account with address {email}")));
            }
            println!("{email} is now {}", role.as_str());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Resolves on SIGTERM or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: no new connections, finishing requests in flight");
}
