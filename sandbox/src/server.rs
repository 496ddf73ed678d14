//! The HTTP/1.1 server loop. Like `axum::serve`, plus two things the sandbox needs: every request
//! carries its peer address (`ConnectInfo`, so test hooks can refuse non-loopback callers), and a
//! [`ConnectionKill`] handle with which fault injection cuts the connection before a response.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower::ServiceExt;

/// Closes the request's connection without writing a response (a "lost response").
#[derive(Clone, Default)]
pub struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    pub fn kill(&self) {
        self.0.notify_one();
    }
}

/// Serves `app` on `listener` until the listener fails.
pub async fn serve(listener: TcpListener, app: Router) -> std::io::Result<()> {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Transient accept errors (e.g. too many open files) must not stop the server.
            Err(e) if is_transient(&e) => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
            Err(e) => return Err(e),
        };
        let app = app.clone();
        tokio::spawn(serve_connection(stream, peer, app));
    }
}

async fn serve_connection(stream: tokio::net::TcpStream, peer: SocketAddr, app: Router) {
    // A second handle on the socket, used only to cut a response short (see below).
    let (stream, side) = match split_handle(stream) {
        Ok(pair) => pair,
        Err(_) => return,
    };
    let kill = ConnectionKill::default();
    let handle = kill.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        req.extensions_mut().insert(handle.clone());
        app.clone().oneshot(req.map(axum::body::Body::new))
    });
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        // Errors here are client disconnects and malformed requests: nothing to do.
        _ = connection => {}
        // A lost response. Closing a kept-alive connection with nothing written is not enough:
        // browsers treat that as a stale connection and silently send the POST again (Chromium
        // does), which would run the action twice. Real lost responses happen after the server
        // started answering, so write the start of a status line, then cut the connection.
        () = kill.0.notified() => {
            use std::io::Write;
            let mut side = side;
            let _ = side.write_all(b"HTTP/1.1 200 OK\r\n");
            let _ = side.shutdown(std::net::Shutdown::Both);
        }
    }
}

fn split_handle(
    stream: tokio::net::TcpStream,
) -> std::io::Result<(tokio::net::TcpStream, std::net::TcpStream)> {
    let std_stream = stream.into_std()?;
    let side = std_stream.try_clone()?;
    std_stream.set_nonblocking(true)?;
    Ok((tokio::net::TcpStream::from_std(std_stream)?, side))
}

fn is_transient(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | Interrupted | WouldBlock
    ) || e
        .raw_os_error()
        .is_some_and(|code| code == 23 || code == 24)
}
