//! Waiting for what happens in the background (a room flushing, a peer's update
//! arriving): a condition polled until it holds, or the test fails saying what it
//! waited for and what it saw last.

use std::fmt::Debug;
use std::future::Future;
use std::time::Duration;

use parcours_bench::YClient;
use parcours_shared::view::MapView;

use super::docs::client_view;
use super::WAIT;

/// How long between two looks.
const POLL: Duration = Duration::from_millis(20);

/// Polls `f` until it gives `Ok`, for at most `limit`, and returns that value; after
/// `limit` fails the test with `what` and the last `Err` (what was seen instead).
pub async fn within<T, E, F, Fut>(limit: Duration, what: &str, mut f: F) -> T
where
    E: Debug,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match f().await {
            Ok(value) => return value,
            Err(seen) => assert!(
                tokio::time::Instant::now() < deadline,
                "timed out after {limit:?}: {what}; last seen: {seen:#?}"
            ),
        }
        tokio::time::sleep(POLL).await;
    }
}

/// [`within`] the usual [`WAIT`].
pub async fn eventually_ok<T, E, F, Fut>(what: &str, f: F) -> T
where
    E: Debug,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    within(WAIT, what, f).await
}

/// Polls `f` until it is true, for at most [`WAIT`].
pub async fn eventually<F, Fut>(what: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    within(WAIT, what, || {
        let look = f();
        async move { look.await.then_some(()).ok_or(false) }
    })
    .await
}

/// Waits until every client's view equals the first one's; returns that view.
pub async fn converged(clients: &[&YClient]) -> MapView {
    eventually_ok("the clients converge", || async {
        let views: Vec<MapView> = clients.iter().map(|c| client_view(c)).collect();
        if views.windows(2).all(|w| w[0] == w[1]) {
            Ok(views.into_iter().next().expect("one client"))
        } else {
            Err(views)
        }
    })
    .await
}
