//! Warta's stemmer against Snowball's Indonesian stemmer on the same gold list
//! (`tests/data/stem-pairs.tsv`), over the whole list and over each batch written before the
//! stemmer saw it. Prints the figures the README reports; fails if Warta stops beating Snowball.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use warta_core::search::stem::stem;

/// (batch name, word, expected root)
fn pairs() -> Vec<(String, String, String)> {
    let mut batch = "batch 1".to_owned();
    let mut out = Vec::new();
    for line in include_str!("data/stem-pairs.tsv").lines() {
        if let Some(comment) = line.strip_prefix("# Batch ") {
            batch = format!("batch {}", comment.chars().next().unwrap());
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (word, root) = line.split_once('\t').expect("word<TAB>root");
        out.push((
            batch.clone(),
            word.trim().to_owned(),
            root.trim().to_owned(),
        ));
    }
    out
}

fn snowball(word: &str) -> String {
    frostem::Stemmer::new(frostem::Algorithm::Indonesian)
        .stem(word)
        .into_owned()
}

fn accuracy(pairs: &[&(String, String, String)], stemmer: impl Fn(&str) -> String) -> f64 {
    let right = pairs.iter().filter(|(_, w, r)| stemmer(w) == *r).count();
    right as f64 / pairs.len().max(1) as f64
}

#[test]
fn warta_beats_snowball_on_every_batch() {
    let pairs = pairs();
    let all: Vec<_> = pairs.iter().collect();
    println!(
        "all {} pairs: warta {:.4}, snowball {:.4}",
        all.len(),
        accuracy(&all, stem),
        accuracy(&all, snowball)
    );
    for batch in ["batch 1", "batch 2", "batch 3"] {
        let part: Vec<_> = pairs.iter().filter(|(b, _, _)| b == batch).collect();
        let (ours, theirs) = (accuracy(&part, stem), accuracy(&part, snowball));
        println!(
            "{batch} ({} pairs): warta {ours:.4}, snowball {theirs:.4}",
            part.len()
        );
        assert!(!part.is_empty(), "{batch} is in the list");
        assert!(
            ours > theirs + 0.1,
            "{batch}: warta {ours} vs snowball {theirs}"
        );
    }
    // The over-stemming the brief names.
    assert_eq!(snowball("mengatakan"), "ata");
    assert_eq!(stem("mengatakan"), "kata");
    assert_eq!(stem("menteri"), "menteri");
}
