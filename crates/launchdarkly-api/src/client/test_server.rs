//! A tiny HTTP/1.1 server for this crate's tests: it reads each request (head and
//! `Content-Length` body), answers every one with the same canned head followed by
//! `body_len` filler bytes written in pieces, closes the connection, and counts requests.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A running test server; stopped when dropped.
pub struct TestServer {
    base_url: String,
    requests: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl TestServer {
    /// Starts a server answering every request with `head` (status line and headers, ending
    /// in an empty line) and then `body_len` bytes of filler.
    pub async fn start(head: impl Into<String>, body_len: usize) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let head: Arc<str> = Arc::from(head.into());
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let head = Arc::clone(&head);
                let counter = Arc::clone(&counter);
                // `None` when the client hangs up (as it should once a body is over the cap).
                tokio::spawn(async move {
                    let _ = answer(stream, &head, body_len, &counter).await;
                });
            }
        });
        TestServer {
            base_url: format!("http://{addr}"),
            requests,
            task,
        }
    }

    /// The URL to use as `api_host`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Requests received so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn answer(
    mut stream: TcpStream,
    head: &str,
    body_len: usize,
    counter: &AtomicUsize,
) -> Option<()> {
    let mut buf = Vec::new();
    let mut piece = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut piece).await.ok()?;
        if n == 0 || buf.len() > 64 * 1024 {
            return None;
        }
        buf.extend_from_slice(&piece[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let text = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let declared: usize = text
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut have = buf.len() - head_end;
    while have < declared.min(1024 * 1024) {
        let n = stream.read(&mut piece).await.ok()?;
        if n == 0 {
            return None;
        }
        have += n;
    }
    counter.fetch_add(1, Ordering::SeqCst);
    stream.write_all(head.as_bytes()).await.ok()?;
    let filler = [b'x'; 16 * 1024];
    let mut left = body_len;
    while left > 0 {
        let n = left.min(filler.len());
        stream.write_all(&filler[..n]).await.ok()?;
        left -= n;
    }
    stream.shutdown().await.ok()
}
