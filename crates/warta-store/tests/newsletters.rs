//! The mailing queue on both engines: queuing picks confirmed readers of the right list and
//! sections, a claimed recipient is one node's, a claim that outlives its lease is interrupted
//! (never sent again by itself), and a mailing is sent when nothing is left. Automatic drafts
//! fall due at their time unless an editor holds them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use chrono::{Duration, Utc};
use warta_store::{
    Store,
    newsletters::{self, NewMailing, SignUp},
    testing::{self, TestDb},
};

async fn queue(db: TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let now = Utc::now();
    let mut conn = store.pool().acquire().await.unwrap();
    // (address, list, section, confirmed)
    let readers = [
        ("a@contoh.id", "daily", 0, true),
        ("b@contoh.id", "daily", 7, true),
        ("c@contoh.id", "daily", 0, false),
        ("d@contoh.id", "weekly", 0, true),
        ("e@contoh.id", "daily", 0, true),
    ];
    for (email, list, section, confirmed) in readers {
        let SignUp::Pending(token) =
            newsletters::sign_up(&mut conn, email, &[(list.to_owned(), section)], now)
                .await
                .unwrap()
        else {
            panic!("a new address")
        };
        if confirmed {
            newsletters::confirm(&mut conn, &token, now).await.unwrap();
        }
    }
    let new = NewMailing {
        list: "daily".into(),
        section_id: 0,
        edition: Some("daily:2026-11-28:0".into()),
        subject: "Ringkasan".into(),
        intro: String::new(),
        article_ids: String::new(),
        alert_id: None,
        send_at: None,
    };
    let id = newsletters::draft(&mut conn, &new, None, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        newsletters::draft(&mut conn, &new, None, now)
            .await
            .unwrap(),
        None,
        "one draft per edition"
    );
    assert_eq!(
        newsletters::queue(&mut conn, id, &[0], now).await.unwrap(),
        Some(2),
        "a and e: confirmed, daily, all sections"
    );
    assert_eq!(
        newsletters::queue(&mut conn, id, &[0], now).await.unwrap(),
        None,
        "queued once"
    );

    let first = newsletters::claim(&mut conn, "node-1", now, 60, 1)
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    let second = newsletters::claim(&mut conn, "node-2", now, 60, 10)
        .await
        .unwrap();
    assert_eq!(
        second.len(),
        1,
        "node 2 gets only what node 1 did not claim"
    );
    assert_ne!(first[0].email, second[0].email);
    newsletters::record(&mut conn, &first[0], None, now)
        .await
        .unwrap();
    // Node 2 dies mid-conversation: after its lease the row is interrupted, not pending.
    let later = now + Duration::seconds(61);
    assert_eq!(newsletters::tidy(&mut conn, later).await.unwrap(), 1);
    assert!(
        newsletters::claim(&mut conn, "node-3", later, 60, 10)
            .await
            .unwrap()
            .is_empty(),
        "an interrupted send is not sent again by itself"
    );
    let mailing = newsletters::mailing(&mut conn, id).await.unwrap().unwrap();
    assert_eq!(mailing.status, "sent", "nothing left to send");
    let mut progress = newsletters::progress(&mut conn, id).await.unwrap();
    progress.sort();
    assert_eq!(
        progress,
        [("interrupted".to_owned(), 1), ("sent".to_owned(), 1)]
    );
    // An editor's word sends the interrupted one again.
    assert_eq!(
        newsletters::retry_interrupted(&mut conn, id).await.unwrap(),
        1
    );
    let again = newsletters::claim(&mut conn, "node-1", later, 60, 10)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    newsletters::record(&mut conn, &again[0], Some("550 no such mailbox"), later)
        .await
        .unwrap();
    newsletters::tidy(&mut conn, later).await.unwrap();
    let mailing = newsletters::mailing(&mut conn, id).await.unwrap().unwrap();
    assert_eq!(mailing.status, "sent");

    // A section's digest goes to that section's readers only; unsubscribing one list keeps
    // the others.
    let section = NewMailing {
        edition: Some("daily:2026-11-28:7".into()),
        section_id: 7,
        ..new
    };
    let id = newsletters::draft(&mut conn, &section, None, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        newsletters::queue(&mut conn, id, &[7], now).await.unwrap(),
        Some(1)
    );
    let b = newsletters::claim(&mut conn, "node-1", now, 60, 10)
        .await
        .unwrap();
    assert_eq!(b[0].email, "b@contoh.id");
    assert!(
        newsletters::unsubscribe(&mut conn, &b[0].token, Some("daily"))
            .await
            .unwrap()
    );
    assert!(
        !newsletters::unsubscribe(&mut conn, "bukan-token", None)
            .await
            .unwrap()
    );
    let audience = newsletters::audience(&mut conn).await.unwrap();
    assert_eq!(
        audience,
        [("daily".to_owned(), 0, 2), ("weekly".to_owned(), 0, 1)]
    );
}

#[tokio::test]
async fn the_queue_on_sqlite() {
    queue(testing::sqlite()).await;
}

#[tokio::test]
async fn the_queue_on_postgres() {
    if let Some(db) = testing::postgres().await {
        queue(db).await;
    }
}

/// Drafts set to go out by themselves are due at their time, not before; one an editor held
/// is not due at all; a due draft is taken once, however many nodes look.
async fn auto_send(db: TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    let now = Utc::now();
    let minute = Duration::minutes(1);
    let mut ids = Vec::new();
    for (edition, send_at) in [
        ("daily:2026-11-28:0", Some(now + minute * 10)),
        ("daily:2026-11-28:3", Some(now - minute)),
        ("weekly:2026-11-23:0", None),
    ] {
        let new = NewMailing {
            list: edition.split(':').next().unwrap().into(),
            section_id: edition.rsplit(':').next().unwrap().parse().unwrap(),
            edition: Some(edition.into()),
            subject: "Ringkasan".into(),
            intro: String::new(),
            article_ids: String::new(),
            alert_id: None,
            send_at: send_at.map(|t| t.timestamp()),
        };
        ids.push(
            newsletters::draft(&mut conn, &new, None, now)
                .await
                .unwrap()
                .unwrap(),
        );
    }
    let (later, now_due, never) = (ids[0], ids[1], ids[2]);
    assert_eq!(
        newsletters::due_to_send(&mut conn, now).await.unwrap(),
        [(now_due, 3, (now - minute).timestamp())]
    );
    let in_twenty = now + minute * 20;
    assert_eq!(
        newsletters::due_to_send(&mut conn, in_twenty)
            .await
            .unwrap(),
        [
            (now_due, 3, (now - minute).timestamp()),
            (later, 0, (now + minute * 10).timestamp())
        ],
        "the earliest first"
    );
    assert!(newsletters::hold(&mut conn, later).await.unwrap());
    let held = newsletters::mailing(&mut conn, later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(held.send_at, None);
    assert_eq!(
        newsletters::due_to_send(&mut conn, in_twenty)
            .await
            .unwrap(),
        [(now_due, 3, (now - minute).timestamp())],
        "held: it waits for an editor"
    );
    assert!(
        newsletters::take_due(&mut conn, now_due, now)
            .await
            .unwrap()
    );
    assert!(
        !newsletters::take_due(&mut conn, now_due, now)
            .await
            .unwrap(),
        "taken once"
    );
    assert!(
        !newsletters::take_due(&mut conn, never, in_twenty)
            .await
            .unwrap()
    );
    assert!(
        newsletters::due_to_send(&mut conn, in_twenty)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn automatic_sending_on_sqlite() {
    auto_send(testing::sqlite()).await;
}

#[tokio::test]
async fn automatic_sending_on_postgres() {
    if let Some(db) = testing::postgres().await {
        auto_send(db).await;
    }
}
