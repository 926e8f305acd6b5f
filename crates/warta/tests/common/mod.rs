//! Runs the real `warta` binary: imports through its CLI, and a server on a free port that
//! tests talk to over HTTP.

#![allow(dead_code)] // each test file uses its own part of the harness
#![allow(clippy::expect_used)] // a harness that cannot start must fail the test

use std::{
    collections::VecDeque,
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    sync::{Arc, Mutex, mpsc},
    time::Duration,
};

use warta_store::testing::{self, TestDb};

pub const BIN: &str = env!("CARGO_BIN_EXE_warta");

/// The captured page from `shared/seed/` (kept outside the repository).
pub fn seed_path() -> PathBuf {
    let dir = std::env::var_os("WARTA_SEED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed"));
    let path = dir.join("article-page.txt");
    assert!(
        path.exists(),
        "the seed page {} is needed by this test",
        path.display()
    );
    path
}

/// Which database a test's site runs on.
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A data dir and (for PostgreSQL) a database, both removed afterwards.
pub struct Site {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    _dir: TestDb,
    _db: Option<TestDb>,
}

impl Site {
    /// `None` when PostgreSQL is wanted but not reachable outside CI (the test is skipped).
    pub async fn new(engine: Engine) -> Option<Site> {
        let (data_dir, dir_guard) = testing::temp_dir();
        let db = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(testing::postgres().await?),
        };
        Some(Site {
            data_dir,
            database_url: db.as_ref().map(|db| db.url.clone()),
            _dir: dir_guard,
            _db: db,
        })
    }

    pub fn command(&self) -> Command {
        let mut command = Command::new(BIN);
        command.arg("--data-dir").arg(&self.data_dir);
        if let Some(url) = &self.database_url {
            command.arg("--database-url").arg(url);
        }
        command
            .env_remove("DATABASE_URL")
            .env_remove("WARTA_ADDR")
            .env("WARTA_BASE_URL", "http://warta.test")
            .env("NO_COLOR", "1");
        command
    }

    /// The site's store, opened beside the server (for what a test arranges or checks directly).
    pub async fn store(&self) -> warta_store::Store {
        let url = self
            .database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("warta.db").display()));
        warta_store::Store::open(&url)
            .await
            .expect("open the store")
    }

    /// `warta import PATH...`
    pub fn import(&self, paths: &[&Path]) -> Output {
        self.command()
            .arg("import")
            .args(paths)
            .output()
            .expect("run warta import")
    }

    /// `warta serve` on a free port, with extra flags.
    pub fn serve(&self, flags: &[&str]) -> Server {
        self.serve_with(self.command(), flags)
    }

    /// `warta serve` from a prepared command (extra environment), with extra flags.
    pub fn serve_with(&self, mut command: Command, flags: &[&str]) -> Server {
        let mut child = command
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(flags)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start warta serve");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (tx, rx) = mpsc::channel();
        let log = Arc::new(Mutex::new(VecDeque::new()));
        let kept = log.clone();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(mut kept) = kept.lock() {
                    if kept.len() == LOG_LINES_KEPT {
                        kept.pop_front();
                    }
                    kept.push_back(line.clone());
                }
                if let Some(at) = line.find("serving on http://").filter(|_| !sent) {
                    let addr: String = line[at + "serving on ".len()..]
                        .chars()
                        .take_while(|c| !c.is_whitespace() && *c != '\u{1b}')
                        .collect();
                    let _ = tx.send(addr);
                    sent = true;
                }
                if std::env::var_os("WARTA_TEST_LOG").is_some() {
                    eprintln!("[warta] {line}");
                }
            }
        });
        let Ok(base) = rx.recv_timeout(Duration::from_secs(60)) else {
            // Give the reader thread a moment to collect the last lines of a failed start.
            std::thread::sleep(Duration::from_millis(200));
            let lines = log.lock().map(|l| Vec::from(l.clone())).unwrap_or_default();
            panic!(
                "warta serve did not print its address; its log:\n{}",
                lines.join("\n")
            );
        };
        Server { child, base, log }
    }
}

/// The server's last log lines kept to show when a test fails.
const LOG_LINES_KEPT: usize = 200;

/// A running `warta serve`, killed when dropped. If the test is failing by then, the server's
/// last log lines (and how it exited, if it did) are printed with the failure.
pub struct Server {
    pub child: Child,
    pub base: String,
    log: Arc<Mutex<VecDeque<String>>>,
}

impl Server {
    /// Waits until the search index holds the demo (related articles depend on it).
    pub async fn wait_for_index(&self, query: &str) {
        for _ in 0..200 {
            let (status, json) = self.json(&format!("/api/v1/search?q={query}")).await;
            if status == 200 && json["total"].as_u64().unwrap_or(0) > 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the search index never answered {query:?}");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn text(&self, path: &str) -> (u16, String) {
        let response = client().get(self.url(path)).send().await.expect("request");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    pub async fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = client().get(self.url(path)).send().await.expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let exited = self.child.try_wait().ok().flatten();
            eprintln!(
                "--- warta serve at {}: exited {exited:?}; its last log lines:",
                self.base
            );
            if let Ok(log) = self.log.lock() {
                for line in log.iter() {
                    eprintln!("[warta] {line}");
                }
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client that shows redirects instead of following them.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

/// A browser: keeps cookies, shows redirects instead of following them.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

/// The page at `path` as `http` (with its cookies) sees it.
pub async fn fetch(http: &reqwest::Client, server: &Server, path: &str) -> String {
    http.get(server.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The CSRF token of the (first) form on the page at `path`.
pub async fn csrf(http: &reqwest::Client, server: &Server, path: &str) -> String {
    let html = http
        .get(server.url(path))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body");
    attrs(&html, "input[name=csrf]", "value")
        .into_iter()
        .next()
        .expect("a form with a CSRF token")
}

/// Posts `fields` with the form's CSRF token and `action` to the page at `path`, as its form
/// does; the status and the page that came back.
pub async fn post_form(
    http: &reqwest::Client,
    server: &Server,
    path: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let token = csrf(http, server, path).await;
    let mut form = vec![("csrf", token.as_str()), ("action", action)];
    form.extend_from_slice(fields);
    let response = http
        .post(server.url(path))
        .form(&form)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

/// Submits the sign-in form with `http`'s cookies (then going to /akun); the response shows
/// whether it worked.
pub async fn sign_in(
    http: &reqwest::Client,
    server: &Server,
    email: &str,
    password: &str,
) -> reqwest::Response {
    let token = csrf(http, server, "/masuk").await;
    http.post(server.url("/masuk"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", email),
            ("password", password),
            ("next", "/akun"),
        ])
        .send()
        .await
        .expect("sign-in request")
}

/// Text of every element matching `selector`.
pub fn texts(html: &str, selector: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(selector).expect("valid selector");
    document
        .select(&selector)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// An attribute of every element matching `selector`.
pub fn attrs(html: &str, selector: &str, attr: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(selector).expect("valid selector");
    document
        .select(&selector)
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

/// The password of the newsroom users [`add_users`] creates.
pub const PASSWORD: &str = "sandi-redaksi-panjang";
/// Every role, lowest first.
pub const ROLES: [&str; 5] = ["reader", "contributor", "writer", "editor", "admin"];

/// One user per role, `<role>@contoh.id`.
pub fn add_users(site: &Site) {
    for role in ROLES {
        let out = site
            .command()
            .args([
                "user",
                "add",
                "--role",
                role,
                "--name",
                &format!("Orang {role}"),
                &format!("{role}@contoh.id"),
            ])
            .env("WARTA_USER_PASSWORD", PASSWORD)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A browser signed in as the user with `role`.
pub async fn signed_in(server: &Server, role: &str) -> reqwest::Client {
    let http = browser();
    let response = sign_in(&http, server, &format!("{role}@contoh.id"), PASSWORD).await;
    assert_eq!(response.status(), 303, "{role} signs in");
    http
}

/// The CSRF token of the editor at `path` (or the status if it did not open).
pub async fn editor(
    http: &reqwest::Client,
    server: &Server,
    path: &str,
) -> Result<(String, String), u16> {
    let response = http.get(server.url(path)).send().await.unwrap();
    if response.status() != 200 {
        return Err(response.status().as_u16());
    }
    let html = response.text().await.unwrap();
    let csrf = attrs(&html, "input[name=csrf]", "value").remove(0);
    let version = attrs(&html, "input[name=version]", "value").remove(0);
    Ok((csrf, version))
}

/// An article's edit form (`/redaksi/artikel/ID`) as the editor page filled it, ready to post
/// with whatever the test changes or adds.
pub fn edit_form(html: &str) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = [
        "headline",
        "slug",
        "summary",
        "section",
        "tags",
        "authors",
        "dateline",
        "published_at",
        "source_name",
        "source_url",
    ]
    .iter()
    .map(|name| {
        let value = attrs(html, &format!("#f-{name}"), "value").pop();
        (name.to_string(), value.unwrap_or_default())
    })
    .collect();
    for (name, value) in [
        (
            "zone",
            attrs(html, "#f-zone option[selected]", "value").pop(),
        ),
        ("body", texts(html, "#f-body").pop()),
        ("csrf", attrs(html, "input[name=csrf]", "value").pop()),
        ("version", attrs(html, "input[name=version]", "value").pop()),
        (
            "opened_at",
            attrs(html, "input[name=opened_at]", "value").pop(),
        ),
        (
            "opened_zone",
            attrs(html, "input[name=opened_zone]", "value").pop(),
        ),
    ] {
        form.push((name.into(), value.unwrap_or_default()));
    }
    form
}

/// The Redis server tests share (keys under a per-test prefix), or `None` with a message when
/// none answers outside CI; in CI (`CI=true`) an unreachable Redis fails the test.
pub fn redis_url() -> Option<String> {
    let url =
        std::env::var("WARTA_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379/".to_owned());
    let reachable = redis::Client::open(url.as_str())
        .and_then(|client| client.get_connection_with_timeout(Duration::from_secs(2)))
        .and_then(|mut connection| redis::cmd("PING").query::<String>(&mut connection));
    match reachable {
        Ok(_) => Some(url),
        Err(error) if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") => {
            panic!("Redis at {url} is required in CI: {error}")
        }
        Err(error) => {
            eprintln!("skipping: Redis at {url} is unreachable: {error}");
            None
        }
    }
}

/// A local HTTP receiver standing in for a third party (a payment provider's API, a webhook
/// bridge): records every request and answers `answer` as JSON, or 500 to the first
/// `fail_first` requests.
pub struct Receiver {
    pub base: String,
    pub seen: std::sync::Arc<std::sync::Mutex<Vec<Received>>>,
}

/// One request a [`Receiver`] got.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub at: std::time::Instant,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Receiver {
    pub async fn start(answer: fn(&str) -> &'static str, fail_first: usize) -> Receiver {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Received>::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let log = log.clone();
                tokio::spawn(async move {
                    let mut buffer = Vec::new();
                    let mut chunk = [0u8; 4096];
                    let (head, body) = loop {
                        let Ok(n) = socket.read(&mut chunk).await else {
                            return;
                        };
                        if n == 0 {
                            return;
                        }
                        buffer.extend_from_slice(&chunk[..n]);
                        let text = String::from_utf8_lossy(&buffer).to_string();
                        if let Some(end) = text.find("\r\n\r\n") {
                            let head = text[..end].to_owned();
                            let length: usize = head
                                .lines()
                                .find_map(|l| {
                                    l.to_ascii_lowercase()
                                        .strip_prefix("content-length:")
                                        .and_then(|v| v.trim().parse().ok())
                                })
                                .unwrap_or(0);
                            if buffer.len() >= end + 4 + length {
                                let body =
                                    String::from_utf8_lossy(&buffer[end + 4..end + 4 + length]);
                                break (head, body.to_string());
                            }
                        }
                    };
                    let mut lines = head.lines();
                    let mut request_line = lines.next().unwrap_or_default().split_whitespace();
                    let method = request_line.next().unwrap_or_default().to_owned();
                    let path = request_line.next().unwrap_or_default().to_owned();
                    let headers = lines
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                        .collect();
                    let failing = {
                        let mut seen = log.lock().expect("log");
                        seen.push(Received {
                            method,
                            path: path.clone(),
                            headers,
                            body,
                            at: std::time::Instant::now(),
                        });
                        seen.len() <= fail_first
                    };
                    let (status, answer) = if failing {
                        ("500 Internal Server Error", "{}")
                    } else {
                        ("200 OK", answer(&path))
                    };
                    let response = format!(
                        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                        answer.len()
                    );
                    let _ = socket.write_all(response.as_bytes()).await;
                });
            }
        });
        Receiver { base, seen }
    }

    pub fn requests(&self) -> Vec<Received> {
        self.seen.lock().expect("log").clone()
    }
}

/// One message an SMTP sink accepted.
#[derive(Debug, Clone)]
pub struct SmtpMail {
    pub to: Vec<String>,
    pub data: String,
}

/// A local SMTP server that speaks just enough of the protocol: it accepts every message
/// (after `delay`, like a real server's round trip) and hands it to the channel; a recipient
/// containing `reject` is refused with 550, as a mailbox that does not exist.
pub fn smtp_sink(reject: Option<&'static str>, delay: Duration) -> (u16, mpsc::Receiver<SmtpMail>) {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the SMTP sink");
    let port = listener.local_addr().expect("sink address").port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let tx = tx.clone();
            std::thread::spawn(move || {
                // As mail servers do: replies go out at once, not after a delayed ACK.
                let _ = stream.set_nodelay(true);
                let Ok(mut writer) = stream.try_clone() else {
                    return;
                };
                let mut reader = BufReader::new(stream);
                let mut reply = |text: &str| writer.write_all(text.as_bytes()).is_ok();
                reply("220 sink ESMTP\r\n");
                let mut to = Vec::new();
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                    let command = line.trim_end().to_ascii_uppercase();
                    let ok = if command.starts_with("EHLO") || command.starts_with("HELO") {
                        reply("250-sink\r\n250 8BITMIME\r\n")
                    } else if command.starts_with("RCPT TO:") {
                        let address = line.trim_end()[8..]
                            .trim()
                            .trim_matches(['<', '>'])
                            .to_owned();
                        if reject.is_some_and(|r| address.contains(r)) {
                            reply("550 5.1.1 no such mailbox\r\n")
                        } else {
                            to.push(address);
                            reply("250 OK\r\n")
                        }
                    } else if command.starts_with("DATA") {
                        reply("354 go on\r\n");
                        let mut data = String::new();
                        let mut part = String::new();
                        while reader.read_line(&mut part).is_ok_and(|n| n > 0) {
                            if part == ".\r\n" {
                                break;
                            }
                            data.push_str(&part);
                            part.clear();
                        }
                        std::thread::sleep(delay);
                        let _ = tx.send(SmtpMail {
                            to: std::mem::take(&mut to),
                            data,
                        });
                        reply("250 queued\r\n")
                    } else if command.starts_with("RSET") || command.starts_with("MAIL FROM") {
                        to.clear();
                        reply("250 OK\r\n")
                    } else if command.starts_with("QUIT") {
                        reply("221 bye\r\n");
                        false
                    } else {
                        reply("250 OK\r\n")
                    };
                    if !ok {
                        break;
                    }
                    line.clear();
                }
            });
        }
    });
    (port, rx)
}

/// Asks the server to stop as an operator's `kill` or systemd would (SIGTERM) and waits.
pub fn terminate(server: &mut Server) -> std::process::ExitStatus {
    let _ = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status();
    server.child.wait().expect("warta exits")
}

/// Confirmed subscribers of `list` (all sections), made straight in the store: the sign-up
/// form's rate limit is per address and IP, and some tests want many.
pub async fn add_subscribers(site: &Site, addresses: &[String], list: &str) {
    let store = site.store().await;
    let mut conn = store.pool().acquire().await.expect("a connection");
    let now = chrono::Utc::now();
    for email in addresses {
        let signed =
            warta_store::newsletters::sign_up(&mut conn, email, &[(list.to_owned(), 0)], now)
                .await
                .expect("sign up");
        let warta_store::newsletters::SignUp::Pending(token) = signed else {
            panic!("{email} is new")
        };
        warta_store::newsletters::confirm(&mut conn, &token, now)
            .await
            .expect("confirm");
    }
    drop(conn);
    store.close().await;
}
