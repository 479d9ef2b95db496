use ordertrack_shared::models::StatusTransition;
use ordertrack_shared::orders::workflow::default_transitions;
use ordertrack_tests::{Options, TestApp};

/// The migration seeds exactly the workflow the state-machine unit tests cover.
#[tokio::test]
async fn the_seeded_workflow_matches_the_documented_defaults() {
    let app = TestApp::spawn_with(Options { worker: false, ..Options::default() }).await;
    let mut conn = app.db.get().await.unwrap();
    let mut seeded: Vec<(String, String)> = StatusTransition::all(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.from_status.to_string(), t.to_status.to_string()))
        .collect();
    let mut defaults: Vec<(String, String)> =
        default_transitions().into_iter().map(|t| (t.from.to_string(), t.to.to_string())).collect();
    seeded.sort();
    defaults.sort();
    assert_eq!(seeded, defaults);
    drop(conn);
    app.stop().await;
}
