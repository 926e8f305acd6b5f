//! Crash safety: writers and the server are killed with SIGKILL in the middle of a stream of
//! writes. Every write that was acknowledged must be there afterwards, complete; a killed write
//! is either all there or not at all; the server starts cleanly. On SQLite and PostgreSQL.
//! And SIGTERM: requests in flight finish, the process exits 0.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use std::{
    collections::HashMap,
    process::Stdio,
    time::{Duration, Instant},
};

use common::{Engine, Site};

const FILES: usize = 24;
const PER_FILE: usize = 30;

/// A file of articles whose headlines say which file they came from.
fn batch(file: usize) -> serde_json::Value {
    let items: Vec<_> = (0..PER_FILE)
        .map(|n| {
            serde_json::json!({
                "headline": format!("Berkas {file} Berita {n}"),
                "published_at": "2026-11-20T10:00:00+07:00",
                "section": "Nasional",
                "authors": [{"name": format!("Penulis {file}")}, {"name": "Redaksi"}],
                "tags": ["Uji Ketahanan", format!("Berkas {file}")],
                "body_markdown": format!("Isi berita {n} dari berkas {file}.\n\nBaca juga: Berkas {file} Berita 0"),
            })
        })
        .collect();
    serde_json::json!({ "items": items })
}

/// A pseudo-random fraction of `span` from the clock: kills land at different points of a run.
fn jitter(span: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    span.mul_f64(f64::from(nanos % 1000) / 1000.0)
}

async fn kill_during_writes(engine: Engine) {
    let Some(site) = Site::new(engine).await else {
        return;
    };
    let mut server = site.serve(&[]);
    let mut acknowledged = Vec::new();
    let mut killed = Vec::new();
    // How long one import takes here, so kills can be spread over the whole of one.
    let mut import_time = Duration::from_millis(100);
    for file in 0..FILES {
        let path = site.data_dir.join(format!("batch-{file}.json"));
        std::fs::write(&path, batch(file).to_string()).unwrap();
        let mut child = site
            .command()
            .arg("import")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        if file % 3 == 1 {
            // Kill this writer somewhere in its run.
            std::thread::sleep(jitter(import_time));
            let _ = child.kill();
        }
        let status = child.wait().unwrap();
        if file % 3 != 1 {
            import_time = started.elapsed();
        }
        if status.success() {
            acknowledged.push(file);
        } else {
            killed.push(file);
        }
        if file == FILES / 2 {
            // Kill the server too, mid-stream, and start it again.
            let _ = server.child.kill();
            let _ = server.child.wait();
            server = site.serve(&[]);
        }
    }
    assert!(!acknowledged.is_empty());

    // One more crash of the server, then a clean start.
    let _ = server.child.kill();
    let _ = server.child.wait();
    let server = site.serve(&[]);
    assert_eq!(server.text("/healthz").await.0, 200);
    assert_eq!(server.text("/").await.0, 200);

    let mut per_file: HashMap<usize, Vec<serde_json::Value>> = HashMap::new();
    let mut next = Some("/api/v1/articles?limit=100".to_owned());
    while let Some(url) = next {
        let (status, page) = server.json(&url).await;
        assert_eq!(status, 200);
        for item in page["items"].as_array().unwrap() {
            let headline = item["headline"].as_str().unwrap();
            let file: usize = headline.split(' ').nth(1).unwrap().parse().unwrap();
            per_file.entry(file).or_default().push(item.clone());
        }
        next = page["next"].as_str().map(str::to_owned);
    }
    for file in &acknowledged {
        let items = per_file.get(file).map_or(0, Vec::len);
        assert_eq!(items, PER_FILE, "acknowledged file {file} lost articles");
    }
    for file in &killed {
        let items = per_file.get(file).map_or(0, Vec::len);
        assert!(
            items == 0 || items == PER_FILE,
            "killed file {file} is half-written: {items} articles"
        );
    }
    for items in per_file.values() {
        for item in items {
            assert_eq!(item["authors"].as_array().unwrap().len(), 2, "{item}");
            assert_eq!(item["tags"].as_array().unwrap().len(), 2, "{item}");
            assert_eq!(item["related"].as_array().unwrap().len(), 1, "{item}");
        }
    }
    eprintln!(
        "crash test: {} imports acknowledged, {} killed ({} of those had committed)",
        acknowledged.len(),
        killed.len(),
        killed.iter().filter(|f| per_file.contains_key(f)).count()
    );
}

#[tokio::test]
async fn sigkill_during_writes_on_sqlite() {
    kill_during_writes(Engine::Sqlite).await;
}

#[tokio::test]
async fn sigkill_during_writes_on_postgres() {
    kill_during_writes(Engine::Postgres).await;
}

#[cfg(unix)]
#[tokio::test]
async fn sigterm_finishes_requests_in_flight_and_exits_zero() {
    let site = Site::new(Engine::Sqlite).await.unwrap();
    let mut server = site.serve(&["--demo", "--no-page-cache"]);
    let http = common::client();
    let url = server.url("/");
    let signalled = std::sync::Arc::new(std::sync::OnceLock::<Instant>::new());
    // Readers keep requesting rendered pages until the server stops taking requests.
    let readers: Vec<_> = (0..32)
        .map(|_| {
            let (http, url, signalled) = (http.clone(), url.clone(), signalled.clone());
            tokio::spawn(async move {
                let mut finished_after_signal = 0;
                loop {
                    let Ok(response) = http.get(&url).send().await else {
                        return finished_after_signal; // not accepted: the server is stopping
                    };
                    let body = response
                        .bytes()
                        .await
                        .expect("a response was cut off midway");
                    assert!(body.ends_with(b"</html>"), "a page arrived incomplete");
                    if signalled.get().is_some() {
                        finished_after_signal += 1;
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let pid = server.child.id().to_string();
    signalled.set(Instant::now()).unwrap();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );

    let mut finished_after_signal = 0;
    for reader in readers {
        finished_after_signal += reader.await.unwrap();
    }
    let status = server.child.wait().unwrap();
    assert!(status.success(), "exit status {status:?}");
    let took = signalled.get().unwrap().elapsed();
    assert!(
        took < Duration::from_secs(10),
        "stopped within the grace period"
    );
    assert!(
        finished_after_signal > 0,
        "requests in flight at SIGTERM were answered"
    );
    eprintln!(
        "sigterm: {finished_after_signal} requests in flight finished; exited 0 after {took:?}"
    );
}
