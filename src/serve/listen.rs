//! Accepting connections with the limits a room needs: at most
//! [`MAX_CONNECTIONS`] open at once (more are closed at once, so sockets
//! never run out), a request's headers read within [`HEADER_TIMEOUT`]
//! (an idle or half-sent connection is dropped), and a stop that takes at
//! most [`STOP_GRACE`] to let answers in flight finish before every
//! connection is dropped.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Open connections at once: well under the usual limit of 1,024 files.
pub const MAX_CONNECTIONS: usize = 512;
/// Time a client has to send a request's headers, and the longest a kept-
/// alive connection may sit idle.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// Time a client has to send a request's body.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a stop waits for answers in flight.
pub const STOP_GRACE: Duration = Duration::from_millis(1500);

/// Serves `router` on `listener` until `stop` completes.
pub async fn serve(listener: TcpListener, router: axum::Router, stop: impl Future<Output = ()>) {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    // Out of files or a connection reset before it was
                    // taken: wait a moment rather than spin.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let Ok(slot) = slots.clone().try_acquire_owned() else {
                    drop(stream);
                    continue;
                };
                let _ = stream.set_nodelay(true);
                // Each request is told the client's address.
                let router = router.clone();
                let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(peer));
                    router.clone().oneshot(request)
                });
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                    drop(slot);
                });
            }
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(STOP_GRACE, graceful.shutdown()).await;
}

/// The first Ctrl-C or SIGTERM; after it, a second one ends the process
/// at once.
pub async fn stop_signal() {
    one_signal().await;
    tokio::spawn(async {
        one_signal().await;
        eprintln!("zopa serve: stopped at once");
        std::process::exit(130);
    });
}

async fn one_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
