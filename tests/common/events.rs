//! Reading a Server-Sent Events stream (`/api/maps/{id}/events`, `/api/inbox/events`)
//! frame by frame.

use serde_json::Value;

use super::server::TestServer;
use super::WAIT;

/// An open Server-Sent Events stream.
pub struct EventStream {
    res: reqwest::Response,
    buf: String,
}

impl EventStream {
    /// Opens `path` as `token` and waits for the server's "subscribed" comment.
    pub async fn open(s: &TestServer, token: &str, path: &str) -> EventStream {
        let res = reqwest::Client::new()
            .get(s.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("events");
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["content-type"].to_str().expect("type"),
            "text/event-stream"
        );
        let mut stream = EventStream {
            res,
            buf: String::new(),
        };
        let first = stream.frame().await.expect("first frame");
        assert_eq!(first, ": subscribed");
        stream
    }

    /// The next frame (text up to a blank line), or `None` when the stream ended.
    pub async fn frame(&mut self) -> Option<String> {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let frame = self.buf[..end].to_owned();
                self.buf.drain(..end + 2);
                return Some(frame);
            }
            let chunk = tokio::time::timeout(WAIT, self.res.chunk())
                .await
                .expect("no frame within the wait");
            match chunk {
                Ok(Some(bytes)) => self.buf.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }

    /// The next event's JSON, skipping comments; `None` when the stream ended.
    pub async fn next_event(&mut self) -> Option<Value> {
        loop {
            let frame = self.frame().await?;
            if let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data:")) {
                return Some(serde_json::from_str(data.trim()).expect("event json"));
            }
        }
    }
}
