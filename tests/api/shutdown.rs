//! Graceful shutdown: a request in flight when the stop signal comes still
//! gets its answer, and the background jobs stop cleanly.

use std::time::Duration;

use crate::support::TestApp;

#[tokio::test]
async fn an_in_flight_request_finishes_after_shutdown_begins() {
    let mut app = TestApp::spawn();

    // Hold the database writer so `/healthz` (which checks it) waits.
    let (release, released) = std::sync::mpsc::channel::<()>();
    let (locked, is_locked) = std::sync::mpsc::channel::<()>();
    let db = app.state.db.clone();
    let holder = std::thread::spawn(move || {
        db.write(|_| {
            locked.send(()).unwrap();
            let _ = released.recv();
            Ok(())
        })
    });
    is_locked.recv().unwrap();

    let url = app.url("/healthz");
    let client = app.http.clone();
    let in_flight = tokio::spawn(async move { client.get(url).send().await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    if in_flight.is_finished() {
        panic!(
            "request should be waiting on the writer: {:?}",
            in_flight.await
        );
    }

    app.begin_shutdown();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // New connections are no longer accepted...
    let refused = reqwest::Client::new()
        .get(app.url("/api/v1/status"))
        .timeout(Duration::from_secs(2))
        .send()
        .await;
    assert!(refused.is_err(), "a new request was served during shutdown");

    // ...but the one in flight completes once the writer is free.
    release.send(()).unwrap();
    holder.join().unwrap().unwrap();
    let res = in_flight
        .await
        .unwrap()
        .expect("in-flight request answered");
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["database"], "ok");

    let stopped = tokio::task::spawn_blocking(move || app.wait_stopped())
        .await
        .unwrap();
    assert!(stopped.is_ok());
}
