//! Live connections per account and per client address — sync sockets and event
//! streams, each counted apart — capped so that one account or one address cannot hold
//! the server's memory or file descriptors. A connection holds a [`ConnectionSlot`];
//! dropping it (the socket or stream ends) gives the slot back.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use parcours_shared::ids::UserId;

use crate::error::ApiError;

/// What kind of connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A sync WebSocket.
    Socket,
    /// A Server-Sent Events stream.
    Stream,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Owner {
    Account(UserId),
    Address(IpAddr),
}

/// The caps.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Connections of one kind one account may hold.
    pub per_account: usize,
    /// Connections of one kind one client address may hold.
    pub per_address: usize,
}

/// The counts; one per process.
#[derive(Debug)]
pub struct Connections {
    limits: ConnectionLimits,
    counts: Mutex<HashMap<(Kind, Owner), usize>>,
}

/// One connection's place in the counts, given back on drop.
#[derive(Debug)]
pub struct ConnectionSlot {
    connections: Arc<Connections>,
    keys: Vec<(Kind, Owner)>,
}

impl Connections {
    /// No connections yet.
    pub fn new(limits: ConnectionLimits) -> Arc<Connections> {
        Arc::new(Connections {
            limits,
            counts: Mutex::new(HashMap::new()),
        })
    }

    /// A slot for a `kind` connection of `user` (if signed in) from `addr`, or 429 when
    /// either already holds its cap.
    pub fn acquire(
        self: &Arc<Self>,
        kind: Kind,
        user: Option<&UserId>,
        addr: Option<IpAddr>,
    ) -> Result<ConnectionSlot, ApiError> {
        let mut keys = Vec::with_capacity(2);
        if let Some(user) = user {
            keys.push((
                (kind, Owner::Account(user.clone())),
                self.limits.per_account,
            ));
        }
        if let Some(addr) = addr {
            keys.push(((kind, Owner::Address(addr)), self.limits.per_address));
        }
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        for (key, cap) in &keys {
            if counts.get(key).copied().unwrap_or(0) >= *cap {
                let what = match kind {
                    Kind::Socket => "live map connections",
                    Kind::Stream => "event streams",
                };
                let whose = match key.1 {
                    Owner::Account(_) => "this account",
                    Owner::Address(_) => "this address",
                };
                return Err(ApiError::TooMany {
                    code: "too_many_connections",
                    message: format!("{whose} holds {cap} {what} already; close some first"),
                });
            }
        }
        for (key, _) in &keys {
            *counts.entry(key.clone()).or_insert(0) += 1;
        }
        Ok(ConnectionSlot {
            connections: self.clone(),
            keys: keys.into_iter().map(|(k, _)| k).collect(),
        })
    }

    /// How many `kind` connections `user` holds (for tests).
    pub fn of_account(&self, kind: Kind, user: &UserId) -> usize {
        let counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        counts
            .get(&(kind, Owner::Account(user.clone())))
            .copied()
            .unwrap_or(0)
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut counts = self
            .connections
            .counts
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        for key in &self.keys {
            if let Some(n) = counts.get_mut(key) {
                *n -= 1;
                if *n == 0 {
                    counts.remove(key);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_capped_per_account_and_per_address_and_given_back() {
        let conns = Connections::new(ConnectionLimits {
            per_account: 2,
            per_address: 3,
        });
        let alice = UserId("alice".into());
        let bob = UserId("bob".into());
        let ip = Some(IpAddr::from([10, 0, 0, 1]));
        let a1 = conns.acquire(Kind::Socket, Some(&alice), ip).expect("1");
        let _a2 = conns.acquire(Kind::Socket, Some(&alice), ip).expect("2");
        assert!(
            conns.acquire(Kind::Socket, Some(&alice), ip).is_err(),
            "account cap"
        );
        assert!(
            conns.acquire(Kind::Stream, Some(&alice), ip).is_ok(),
            "kinds apart"
        );
        let _b1 = conns
            .acquire(Kind::Socket, Some(&bob), ip)
            .expect("3 from the address");
        assert!(
            conns.acquire(Kind::Socket, Some(&bob), ip).is_err(),
            "address cap"
        );
        drop(a1);
        assert_eq!(conns.of_account(Kind::Socket, &alice), 1);
        assert!(
            conns.acquire(Kind::Socket, Some(&bob), ip).is_ok(),
            "given back"
        );
    }
}
