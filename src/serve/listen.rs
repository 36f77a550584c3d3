//! Accepting connections with the limits a room needs: at most
//! [`MAX_CONNECTIONS`] open at once (more are closed at once, so sockets
//! never run out) and at most [`MAX_PER_ADDRESS`] of them from one client
//! address (so one client busy on all of them cannot shut the class out),
//! a request's headers read within [`HEADER_TIMEOUT`] (an idle or
//! half-sent connection is dropped), its body within [`BODY_TIMEOUT`] in
//! all (see [`whole_body`]), and a stop that takes at most [`STOP_GRACE`]
//! to let answers in flight finish before every connection is dropped.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{ConnectInfo, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Open connections at once: well under the usual limit of 1,024 files.
pub const MAX_CONNECTIONS: usize = 512;
/// Open connections from one client address: half of them, so that one
/// client leaves the other half to everybody else, and still more than a
/// class of 200 playing from one address (as the bench does on loopback,
/// or a room behind one router) keeps open.
pub const MAX_PER_ADDRESS: usize = MAX_CONNECTIONS / 2;
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
    let open = Arc::new(PerAddress::default());
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
                let Some(held) = PerAddress::take(&open, peer.ip()) else {
                    drop(stream);
                    continue;
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
                    drop(held);
                });
            }
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(STOP_GRACE, graceful.shutdown()).await;
}

/// The connections open from each client address.
#[derive(Default)]
struct PerAddress(Mutex<HashMap<IpAddr, usize>>);

/// One open connection of an address, counted until dropped.
struct Held {
    open: Arc<PerAddress>,
    ip: IpAddr,
}

impl PerAddress {
    /// A connection from `ip`, if it has fewer than [`MAX_PER_ADDRESS`]
    /// open. An IPv4 client reaching an IPv6 socket counts as its IPv4
    /// address.
    fn take(open: &Arc<PerAddress>, ip: IpAddr) -> Option<Held> {
        let ip = ip.to_canonical();
        let mut counts = open.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = counts.entry(ip).or_insert(0);
        if *n >= MAX_PER_ADDRESS {
            return None;
        }
        *n += 1;
        Some(Held {
            open: Arc::clone(open),
            ip,
        })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut counts = self.open.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = counts.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                counts.remove(&self.ip);
            }
        }
    }
}

/// Reads a request's whole body before the page sees it, within
/// [`BODY_TIMEOUT`] in all and at most [`super::BODY_LIMIT`] bytes: a
/// deadline for each piece alone would let a client that sends a byte now
/// and then hold its connection for as long as it likes.
pub async fn whole_body(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    match tokio::time::timeout(BODY_TIMEOUT, read(body)).await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Err(e)) => e.into_response(),
        Err(_) => super::PageError::new(
            StatusCode::REQUEST_TIMEOUT,
            None,
            format!(
                "the request's body did not arrive within {} s",
                BODY_TIMEOUT.as_secs()
            ),
        )
        .into_response(),
    }
}

async fn read(mut body: Body) -> Result<Bytes, super::PageError> {
    let mut whole = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(|_| {
            super::PageError::new(
                StatusCode::BAD_REQUEST,
                None,
                "the request's body broke off".into(),
            )
        })?;
        if let Ok(data) = frame.into_data() {
            if whole.len() + data.len() > super::BODY_LIMIT {
                return Err(super::guard::too_large());
            }
            whole.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(whole))
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
