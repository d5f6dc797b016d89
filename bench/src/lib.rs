//! A y-protocols client over tokio-tungstenite, used by the load program and by the
//! server's integration tests: it keeps a local Yrs document in sync with a server
//! (sync step 1/2, updates, awareness) exactly as a Yjs `y-websocket` provider does.
#![forbid(unsafe_code)]

/// REST calls of the load modes (a throwaway account, maps).
pub mod api;
/// The 12 × 8 × 400-card board of the board and export figures.
pub mod board;
/// `--bus-hop`: one message from a node to another, PostgreSQL against Redis streams.
pub mod bushop;
/// `--cold`: opening maps that are not in memory.
pub mod cold;
/// Seeded multi-channel retail-bank event logs (CSV) for the evidence features.
pub mod eventlog;
/// `--follow`: what following the presenter costs in presence traffic.
pub mod follow;
/// `--idle`: memory per idle synced socket.
pub mod idle;
/// `--logins`, and reading `/metrics`.
pub mod logins;
/// `--soak`: many clients editing for a long time.
pub mod soak;
/// `--storm`: many clients connecting at once.
pub mod storm;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{anyhow, Context};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use yrs::block::ClientID;
use yrs::sync::awareness::{AwarenessUpdate, AwarenessUpdateEntry};
use yrs::sync::{Message, SyncMessage};
use yrs::updates::encoder::Encode;
use yrs::{Doc, Origin, ReadTxn, StateVector, Transact, TransactionMut};

// Updates that came from the server carry the REMOTE origin (not sent back).
use parcours_shared::protocol::{self, REMOTE};

/// How a connection ended, when it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    /// The close code the server sent (1006 when the connection just dropped).
    pub code: u16,
    /// The close reason the server sent.
    pub reason: String,
}

#[derive(Debug, Default, Clone)]
struct Status {
    /// Sync step 2 received from the server.
    synced: bool,
    /// Number of remote updates applied so far.
    remote_updates: u64,
    /// Set once the socket is closed.
    closed: Option<Closed>,
    /// Latest awareness JSON per client id, as seen from the server.
    awareness: HashMap<ClientID, String>,
    /// Awareness messages received, and their bytes (whole frames).
    awareness_in: (u64, u64),
}

/// One y-protocols peer connected to a server.
pub struct YClient {
    doc: Doc,
    out: mpsc::UnboundedSender<WsMessage>,
    status: watch::Receiver<Status>,
    awareness_clock: Mutex<u32>,
    /// Awareness messages this client sent, and their bytes.
    awareness_out: Mutex<(u64, u64)>,
}

impl YClient {
    /// Connects to `url` (e.g. `ws://127.0.0.1:8080/sync/{map}`, with `?token=` if
    /// needed) with a fresh document and starts syncing.
    pub async fn connect(url: &str) -> anyhow::Result<YClient> {
        Self::connect_with(url, Doc::new()).await
    }

    /// Connects with an existing document (e.g. one with offline edits).
    pub async fn connect_with(url: &str, doc: Doc) -> anyhow::Result<YClient> {
        let (socket, _) = tokio_tungstenite::connect_async_with_config(url, None, true)
            .await
            .with_context(|| format!("cannot connect to {url}"))?;
        let (mut sink, mut stream) = socket.split();
        let (out, mut out_rx) = mpsc::unbounded_channel::<WsMessage>();
        let (status_tx, status) = watch::channel(Status::default());
        let status_tx = Arc::new(status_tx);

        // Every local change goes to the server as an update message.
        let out_local = out.clone();
        doc.observe_update_v1(
            "parcours-bench-client",
            move |txn: &TransactionMut, event| {
                if txn.origin() != Some(&Origin::from(REMOTE)) {
                    let msg = Message::Sync(SyncMessage::Update(event.update.clone())).encode_v1();
                    let _ = out_local.send(WsMessage::Binary(msg.into()));
                }
            },
        )
        .map_err(|e| anyhow!("cannot observe document: {e:?}"))?;

        // Sync step 1: our state vector.
        let sv = doc.transact().state_vector();
        out.send(WsMessage::Binary(
            Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1().into(),
        ))?;

        tokio::spawn(async move {
            while let Some(msg) = out_rx.recv().await {
                let closing = matches!(msg, WsMessage::Close(_));
                if sink.send(msg).await.is_err() || closing {
                    break;
                }
            }
        });
        let reader_doc = doc.clone();
        let reply = out.clone();
        tokio::spawn(async move {
            let closed = loop {
                match stream.next().await {
                    Some(Ok(WsMessage::Binary(data))) => {
                        if let Err(e) = handle_frame(&reader_doc, &data, &reply, &status_tx) {
                            break Closed {
                                code: 0,
                                reason: format!("client could not handle a server message: {e}"),
                            };
                        }
                    }
                    Some(Ok(WsMessage::Close(frame))) => {
                        break match frame {
                            Some(f) => Closed {
                                code: u16::from(f.code),
                                reason: f.reason.to_string(),
                            },
                            None => Closed {
                                code: u16::from(CloseCode::Status),
                                reason: String::new(),
                            },
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => {
                        break Closed {
                            code: 1006,
                            reason: e.to_string(),
                        }
                    }
                    None => {
                        break Closed {
                            code: 1006,
                            reason: "connection dropped".into(),
                        }
                    }
                }
            };
            status_tx.send_modify(|s| s.closed = Some(closed));
        });
        Ok(YClient {
            doc,
            out,
            status,
            awareness_clock: Mutex::new(0),
            awareness_out: Mutex::new((0, 0)),
        })
    }

    /// The local document. Edits made through it are sent to the server.
    pub fn doc(&self) -> &Doc {
        &self.doc
    }

    /// Runs `f` in one local transaction; the resulting update is sent to the server.
    pub fn edit<R>(&self, f: impl FnOnce(&mut TransactionMut) -> R) -> R {
        let mut txn = self.doc.transact_mut();
        f(&mut txn)
    }

    /// Waits until the server's sync step 2 has been applied.
    pub async fn wait_synced(&self, timeout: Duration) -> anyhow::Result<()> {
        self.wait_status(timeout, |s| s.synced)
            .await
            .context("not synced in time")
    }

    /// Waits until `check(doc)` holds, re-checking after every remote update.
    pub async fn wait_until(&self, timeout: Duration, check: impl Fn(&Doc) -> bool) -> bool {
        let mut status = self.status.clone();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if check(&self.doc) {
                return true;
            }
            match tokio::time::timeout_at(deadline, status.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) => return check(&self.doc),
                Err(_) => return check(&self.doc),
            }
        }
    }

    /// Waits until the server closes the connection, returning how.
    pub async fn wait_closed(&self, timeout: Duration) -> Option<Closed> {
        self.wait_status(timeout, |s| s.closed.is_some())
            .await
            .ok()?;
        self.closed()
    }

    /// How the connection ended, if it has.
    pub fn closed(&self) -> Option<Closed> {
        self.status.borrow().closed.clone()
    }

    /// Remote updates applied so far.
    pub fn remote_updates(&self) -> u64 {
        self.status.borrow().remote_updates
    }

    /// Presence states (JSON) of other clients as last relayed by the server.
    pub fn awareness_states(&self) -> HashMap<ClientID, String> {
        let own = self.doc.client_id();
        let mut states = self.status.borrow().awareness.clone();
        states.remove(&own);
        states
    }

    /// Publishes this client's presence (`None` clears it).
    pub fn set_awareness(&self, json: Option<&str>) -> anyhow::Result<()> {
        let mut clock = self
            .awareness_clock
            .lock()
            .map_err(|_| anyhow!("poisoned"))?;
        *clock += 1;
        let entry = AwarenessUpdateEntry {
            clock: *clock,
            json: json.unwrap_or("null").into(),
        };
        let update = AwarenessUpdate {
            clients: HashMap::from([(self.doc.client_id(), entry)]),
        };
        let message = Message::Awareness(update).encode_v1();
        if let Ok(mut out) = self.awareness_out.lock() {
            out.0 += 1;
            out.1 += message.len() as u64;
        }
        self.send_raw(message)
    }

    /// Awareness (presence) messages received from the server so far, and their bytes.
    pub fn awareness_received(&self) -> (u64, u64) {
        self.status.borrow().awareness_in
    }

    /// Awareness messages this client has sent, and their bytes.
    pub fn awareness_sent(&self) -> (u64, u64) {
        self.awareness_out.lock().map(|o| *o).unwrap_or_default()
    }

    /// Sends raw bytes as one binary frame (for protocol and hostile-input tests).
    pub fn send_raw(&self, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.out
            .send(WsMessage::Binary(bytes.into()))
            .map_err(|_| anyhow!("connection closed"))
    }

    /// Closes the connection politely.
    pub fn close(&self) {
        let _ = self.out.send(WsMessage::Close(None));
    }

    async fn wait_status(
        &self,
        timeout: Duration,
        f: impl Fn(&Status) -> bool,
    ) -> anyhow::Result<()> {
        let mut status = self.status.clone();
        tokio::time::timeout(timeout, status.wait_for(|s| f(s)))
            .await
            .map_err(|_| anyhow!("timed out"))?
            .map_err(|_| anyhow!("client stopped"))?;
        Ok(())
    }
}

impl Drop for YClient {
    fn drop(&mut self) {
        self.close();
    }
}

/// Handles one frame with the shared client-side protocol: answers the server's sync
/// step 1, applies updates, records presence.
fn handle_frame(
    doc: &Doc,
    data: &[u8],
    reply: &mpsc::UnboundedSender<WsMessage>,
    status: &watch::Sender<Status>,
) -> anyhow::Result<()> {
    let outcome = protocol::handle_frame(doc, data)?;
    for message in outcome.replies {
        let _ = reply.send(WsMessage::Binary(message.into()));
    }
    // y-protocols: message type 1 is awareness.
    let awareness = data.first() == Some(&1);
    status.send_modify(|s| {
        if awareness {
            s.awareness_in.0 += 1;
            s.awareness_in.1 += data.len() as u64;
        }
        s.synced |= outcome.synced;
        s.remote_updates += outcome.updates as u64;
        for (client, json) in outcome.awareness {
            let client = ClientID::new(client);
            match json {
                None => {
                    s.awareness.remove(&client);
                }
                Some(json) => {
                    s.awareness.insert(client, json);
                }
            }
        }
    });
    Ok(())
}

/// The full state of `doc` as one update (for comparing documents).
pub fn full_state(doc: &Doc) -> Vec<u8> {
    doc.transact()
        .encode_state_as_update_v1(&StateVector::default())
}
