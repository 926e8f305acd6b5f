//! Query latency over a built index: runs every query of a file once to warm up, then times
//! each one again (first page of ten, by relevance, with snippets, as `/cari` does) and prints
//! p50, p90, p99 and the maximum; then times related-article lookups for a sample of articles.
//!
//! cargo run --release -p warta-search --example query_latency -- DATA_DIR/search QUERIES_FILE

use std::time::{Duration, Instant};

use warta_search::{Search, SearchIndex, check_query};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label}: {} runs, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.9)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap_or(&Duration::ZERO)),
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(queries)) = (args.next(), args.next()) else {
        return Err("usage: query_latency INDEX_DIR QUERIES_FILE".into());
    };
    let index = SearchIndex::open_read_only(std::path::Path::new(&dir))?;
    let queries: Vec<String> = std::fs::read_to_string(&queries)?
        .lines()
        .map(str::trim)
        .filter(|q| !q.is_empty() && check_query(q).is_ok())
        .map(str::to_owned)
        .collect();
    println!(
        "{} articles indexed, {} queries",
        index.len(),
        queries.len()
    );
    let run = |q: &str| {
        index.search(&Search {
            text: q,
            limit: 10,
            ..Search::default()
        })
    };
    let mut hits = 0usize;
    for q in &queries {
        hits += run(q)?.total;
    }
    let mut times = Vec::with_capacity(queries.len());
    for q in &queries {
        let started = Instant::now();
        let found = run(q)?;
        times.push(started.elapsed());
        std::hint::black_box(found);
    }
    println!("mean results per query: {}", hits / queries.len().max(1));
    report("search", times);

    // Related articles: computed once per article and commit, so time the first computation.
    let mut times = Vec::new();
    for id in (1..=index.len() as i64).step_by((index.len() / 200).max(1)) {
        let started = Instant::now();
        std::hint::black_box(index.related(id)?);
        times.push(started.elapsed());
    }
    report("related (first computation)", times);
    Ok(())
}
