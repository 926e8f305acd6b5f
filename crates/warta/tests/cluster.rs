//! One site on two nodes (one PostgreSQL database, one Redis): a visitor signed in on one node
//! is signed in on the other, signing out or changing the password anywhere ends sessions
//! everywhere, and the login limit counts attempts on all nodes together.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use common::{Engine, PASSWORD, Server, Site, add_users, browser, csrf, redis_url, sign_in};

/// Every key this test wrote, so it can check them and clean up.
fn keys(url: &str, prefix: &str) -> Vec<String> {
    let mut connection = redis::Client::open(url).unwrap().get_connection().unwrap();
    redis::cmd("KEYS")
        .arg(format!("{prefix}*"))
        .query(&mut connection)
        .unwrap()
}

fn forget(url: &str, prefix: &str) {
    let mut connection = redis::Client::open(url).unwrap().get_connection().unwrap();
    for key in keys(url, prefix) {
        let _: () = redis::cmd("DEL").arg(key).query(&mut connection).unwrap();
    }
}

/// The account page's status for this browser on this node: 200 signed in, 303 to sign in.
async fn account(http: &reqwest::Client, node: &Server) -> u16 {
    http.get(node.url("/akun"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn two_nodes_share_sessions_and_login_limits() {
    let Some(redis) = redis_url() else {
        return;
    };
    let Some(site) = Site::new(Engine::Postgres).await else {
        return;
    };
    add_users(&site);
    let prefix = format!("warta-test-{}:", warta_core::secret::token());
    let node = || {
        let mut command = site.command();
        command
            .env("WARTA_REDIS_URL", &redis)
            .env("WARTA_REDIS_PREFIX", &prefix);
        site.serve_with(command, &[])
    };
    let (a, b) = (node(), node());
    // Both nodes share this machine's data dir: one writes the search index, the other reads it.
    for node in [&a, &b] {
        assert_eq!(node.text("/cari?q=kabar").await.0, 200);
    }

    // Signed in on A is signed in on B; the session lives in Redis with an expiry.
    let reader = browser();
    assert_eq!(
        sign_in(&reader, &a, "reader@contoh.id", PASSWORD)
            .await
            .status(),
        303
    );
    assert_eq!(account(&reader, &b).await, 200);
    let sessions: Vec<String> = keys(&redis, &prefix)
        .into_iter()
        .filter(|k| k.contains(":session:"))
        .collect();
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    let mut connection = redis::Client::open(redis.as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    let ttl: i64 = redis::cmd("TTL")
        .arg(&sessions[0])
        .query(&mut connection)
        .unwrap();
    assert!(ttl > 0, "sessions expire by themselves ({ttl})");

    // Signing out on B ends the session on A too.
    let token = csrf(&reader, &b, "/akun").await;
    let out = reader
        .post(b.url("/keluar"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert_eq!(account(&reader, &a).await, 303);

    // A password change on A signs the user out of every other session, on any node.
    let laptop = browser();
    let phone = browser();
    let signed = sign_in(&laptop, &a, "writer@contoh.id", PASSWORD).await;
    let copied = signed.headers()["set-cookie"].to_str().unwrap().to_owned();
    let copied = copied.split(';').next().unwrap();
    sign_in(&phone, &b, "writer@contoh.id", PASSWORD).await;
    assert_eq!(account(&phone, &b).await, 200);
    let token = csrf(&laptop, &a, "/akun/sandi").await;
    let changed = laptop
        .post(a.url("/akun/sandi"))
        .form(&[
            ("csrf", token.as_str()),
            ("current", PASSWORD),
            ("password", "sandi-baru-yang-panjang"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    assert_eq!(
        account(&laptop, &b).await,
        200,
        "the changing session stays"
    );
    assert_eq!(account(&phone, &a).await, 303, "the other session ended");
    let stolen = common::client()
        .get(b.url("/akun"))
        .header("cookie", copied)
        .send()
        .await
        .unwrap();
    assert_eq!(
        stolen.status(),
        303,
        "the changing session has a new secret"
    );

    // Five wrong passwords spread over both nodes use up the account's limit on both.
    let attacker = browser();
    for attempt in 0..5 {
        let node = if attempt % 2 == 0 { &a } else { &b };
        let response = sign_in(&attacker, node, "editor@contoh.id", "salah-salah-salah").await;
        assert_eq!(response.status(), 401, "attempt {attempt}");
    }
    for node in [&a, &b] {
        let response = sign_in(&attacker, node, "editor@contoh.id", PASSWORD).await;
        assert_eq!(response.status(), 429, "limited on every node");
        assert!(response.text().await.unwrap().contains("menit"));
    }

    drop((a, b));
    forget(&redis, &prefix);
}

/// A TCP relay to Redis that a test cuts and restores: Redis going down and coming back, while
/// the machine's own Redis (shared with other tests) keeps running.
struct Relay {
    addr: std::net::SocketAddr,
    target: String,
    tasks: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Relay {
    async fn start(target: &str) -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let relay = Relay {
            addr: listener.local_addr().unwrap(),
            target: target.to_owned(),
            tasks: Default::default(),
        };
        relay.accept(listener);
        relay
    }

    fn accept(&self, listener: tokio::net::TcpListener) {
        let (target, tasks) = (self.target.clone(), self.tasks.clone());
        let accepting = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = target.clone();
                let piping = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                tasks.lock().unwrap().push(piping);
            }
        });
        self.tasks.lock().unwrap().push(accepting);
    }

    /// Closes the port and every connection through it.
    fn cut(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }

    async fn restore(&self) {
        let listener = tokio::net::TcpListener::bind(self.addr).await.unwrap();
        self.accept(listener);
    }
}

// Threads of its own: the relay runs while the test blocks waiting for the server to start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_gone_signed_in_pages_fail_fast_and_come_back() {
    let Some(redis) = redis_url() else {
        return;
    };
    let site = Site::new(Engine::Sqlite).await.unwrap();
    add_users(&site);
    let target = redis
        .trim_start_matches("redis://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let relay = Relay::start(&target).await;
    let prefix = format!("warta-test-{}:", warta_core::secret::token());
    let mut command = site.command();
    command
        .env("WARTA_REDIS_URL", format!("redis://{}/", relay.addr))
        .env("WARTA_REDIS_PREFIX", &prefix);
    let node = site.serve_with(command, &[]);
    let reader = browser();
    assert_eq!(
        sign_in(&reader, &node, "reader@contoh.id", PASSWORD)
            .await
            .status(),
        303
    );
    assert_eq!(account(&reader, &node).await, 200);

    relay.cut();
    let started = std::time::Instant::now();
    let status = account(&reader, &node).await;
    assert!(status >= 500, "{status}");
    let waited = started.elapsed();
    assert!(waited < std::time::Duration::from_secs(8), "{waited:?}");
    // The sign-in form still answers, counting on the node's own limit.
    let started = std::time::Instant::now();
    let response = sign_in(&browser(), &node, "editor@contoh.id", "salah-salah-salah").await;
    assert_eq!(response.status(), 401);
    let waited = started.elapsed();
    assert!(waited < std::time::Duration::from_secs(8), "{waited:?}");
    // Anonymous pages never needed Redis.
    assert_eq!(node.text("/").await.0, 200);

    // Redis back: the node follows without a restart.
    relay.restore().await;
    let mut status = 0;
    for _ in 0..50 {
        status = account(&reader, &node).await;
        if status == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(status, 200, "signed in again once Redis is back");
    drop(node);
    relay.cut();
    forget(&redis, &prefix);
}
