//! Invitations: owners alone see pending ones; an address — signed up with, or taken
//! first by an attacker — gives nothing without the link (or a verified mailbox); a link
//! works once; and, through a real SMTP server, the mailed link and the address
//! verification are what let the invitee in.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use parcours_shared::api::INVITATION_DAYS;
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{
    call, free_port, get, invitation_secret, me, member, post, within, TestDb, TestServer, WAIT,
};

/// `GET /api/maps/{map}/members` as `token`.
async fn members(s: &TestServer, token: &str, map: &str) -> Value {
    get(s, token, &format!("/api/maps/{map}/members")).await
}

/// The members' emails and roles, sorted (what "unchanged" compares).
fn roster(list: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = list["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            (
                m["email"].as_str().unwrap_or_default().to_owned(),
                m["role"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The status of `GET /api/maps/{map}` as `token`.
async fn map_status(s: &TestServer, token: &str, map: &str) -> u16 {
    call(
        s,
        Method::GET,
        Some(token),
        &format!("/api/maps/{map}"),
        None,
    )
    .await
    .0
    .as_u16()
}

/// How many maps `token`'s account sees.
async fn map_count(s: &TestServer, token: &str) -> usize {
    let list: Value = get(s, token, "/api/maps").await;
    list["maps"].as_array().map_or(0, Vec::len)
}

async fn only_owners_see_pending_invitations(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Invites").await.id.0;
    let viewer = member(&s, &map, "viewer@example.com", "viewer").await;
    let editor = member(&s, &map, "editor@example.com", "editor").await;
    s.invite(&map, "pending@example.com", "editor").await;

    let as_owner = members(&s, &s.token, &map).await;
    let pending = as_owner["invitations"].as_array().expect("invitations");
    assert_eq!(pending.len(), 1, "{as_owner}");
    assert_eq!(pending[0]["email"], "pending@example.com");
    assert_eq!(pending[0]["role"], "editor");
    for (who, token) in [("viewer", &viewer), ("editor", &editor)] {
        let list = members(&s, token, &map).await;
        assert_eq!(
            list["invitations"],
            json!([]),
            "a {who} sees no pending invitation"
        );
        assert_eq!(
            roster(&list),
            roster(&as_owner),
            "the {who} sees the members"
        );
        assert!(
            !list.to_string().contains("pending@example.com"),
            "the invited address appears nowhere in the {who}'s answer"
        );
    }
}
both_backends!(only_owners_see_pending_invitations);

async fn signing_up_with_an_invited_address_gives_no_membership(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Invites").await.id.0;
    s.invite(&map, "newcomer@example.com", "editor").await;
    let before = members(&s, &s.token, &map).await;

    let newcomer = s.user("newcomer@example.com").await;
    assert_eq!(map_count(&s, &newcomer).await, 0, "no map in the list");
    assert_eq!(
        map_status(&s, &newcomer, &map).await,
        403,
        "the map is closed"
    );
    let after = members(&s, &s.token, &map).await;
    assert_eq!(roster(&after), roster(&before), "members unchanged");
    assert_eq!(
        after["invitations"], before["invitations"],
        "the invitation is still pending"
    );
}
both_backends!(signing_up_with_an_invited_address_gives_no_membership);

async fn an_attacker_who_registered_the_victims_address_cannot_accept_its_invitation(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Invites").await.id.0;
    // The attacker signs up with the victim's address (never verified) before the
    // owner invites it.
    let attacker = s.user("victim@example.com").await;
    let before = members(&s, &s.token, &map).await;
    let (status, invited) = post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/members"),
        json!({"email": "victim@example.com", "role": "editor"}),
    )
    .await;
    assert_eq!(status, 201, "{invited}");
    assert_eq!(invited["existing_account"], true);

    let inbox: Value = get(&s, &attacker, "/api/inbox").await;
    assert!(
        inbox["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["kind"] == "invitation" && i["map_id"] == map.as_str()),
        "the account with that address is told: {inbox}"
    );
    let (status, body) = post(
        &s,
        &attacker,
        &format!("/api/maps/{map}/invitation/accept"),
        json!({}),
    )
    .await;
    assert_eq!(status, 403, "an unverified address cannot accept: {body}");

    assert_eq!(map_count(&s, &attacker).await, 0);
    assert_eq!(map_status(&s, &attacker, &map).await, 403);
    let after = members(&s, &s.token, &map).await;
    assert_eq!(roster(&after), roster(&before), "members unchanged");
    assert_eq!(
        after["invitations"].as_array().map(Vec::len),
        Some(1),
        "the invitation is still pending for the real owner of the address"
    );
}
both_backends!(an_attacker_who_registered_the_victims_address_cannot_accept_its_invitation);

async fn an_invitation_link_works_once(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Invites").await.id.0;
    let link = s.invite(&map, "once@example.com", "commenter").await;
    let secret = invitation_secret(&link).to_owned();
    let preview = format!("/api/invitations/{secret}");
    let accept = format!("{preview}/accept");
    let (status, _) = call(&s, Method::GET, None, &preview, None).await;
    assert_eq!(status, 200, "the preview works before use");

    let first = s.user("once@example.com").await;
    let (status, body) = post(&s, &first, &accept, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["role"], "commenter");
    let after_use = members(&s, &s.token, &map).await;

    let (status, _) = post(&s, &first, &accept, json!({})).await;
    assert_eq!(status, 404, "a second accept by the same account");
    let other = s.user("other@example.com").await;
    let (status, _) = post(&s, &other, &accept, json!({})).await;
    assert_eq!(status, 404, "a second accept by another account");
    let unknown = "0".repeat(secret.len());
    let (status, _) = post(
        &s,
        &other,
        &format!("/api/invitations/{unknown}/accept"),
        json!({}),
    )
    .await;
    assert_eq!(status, 404, "an unknown secret");
    let (status, _) = call(
        &s,
        Method::GET,
        None,
        &format!("/api/invitations/{unknown}"),
        None,
    )
    .await;
    assert_eq!(status, 404, "an unknown secret's preview");
    let (status, _) = call(&s, Method::GET, None, &preview, None).await;
    assert_eq!(status, 404, "the preview after use");

    assert_eq!(map_status(&s, &other, &map).await, 403);
    let now = members(&s, &s.token, &map).await;
    assert_eq!(
        roster(&now),
        roster(&after_use),
        "members and roles unchanged"
    );
    assert!(roster(&now).contains(&("once@example.com".into(), "commenter".into())));
}
both_backends!(an_invitation_link_works_once);

/// A real SMTP server (aiosmtpd) in a child process, delivering into a maildir.
struct SmtpSink {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpSink {
    async fn start() -> SmtpSink {
        let importable = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            importable,
            "python3 cannot import aiosmtpd, the SMTP server these tests deliver mail to: \
             install it with `python3 -m pip install aiosmtpd` (scripts/test.sh does)"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn aiosmtpd");
        let mut sink = SmtpSink { child, port, dir };
        within(
            Duration::from_secs(15),
            "aiosmtpd accepts connections",
            || {
                let exited = sink.child.try_wait().ok().flatten();
                async move {
                    if let Some(status) = exited {
                        panic!("aiosmtpd exited with {status}");
                    }
                    tokio::net::TcpStream::connect(("127.0.0.1", port))
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                }
            },
        )
        .await;
        sink
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn maildir(&self) -> PathBuf {
        self.dir.path().join("mail").join("new")
    }

    /// Waits for a delivered mail to `to` whose decoded body contains `needle`; returns
    /// that body.
    async fn mail_to(&self, to: &str, needle: &str) -> String {
        let dir = self.maildir();
        within(WAIT, &format!("a mail to {to} with {needle:?}"), || {
            let found = read_mails(&dir)
                .into_iter()
                .find(|m| m.to.contains(to) && m.body.contains(needle));
            async move { found.map(|m| m.body).ok_or("not yet") }
        })
        .await
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One delivered mail: its `To` header and its body, transfer encoding undone.
struct Delivered {
    to: String,
    body: String,
}

fn read_mails(dir: &Path) -> Vec<Delivered> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
        .map(|raw| parse_mail(&String::from_utf8_lossy(&raw)))
        .collect()
}

fn parse_mail(raw: &str) -> Delivered {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    // Unfold continuation lines, then read the two headers needed.
    let head = head.replace("\n ", " ").replace("\n\t", " ");
    let header = |name: &str| {
        head.lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| v.trim().to_owned())
            })
            .unwrap_or_default()
    };
    let encoding = header("Content-Transfer-Encoding").to_ascii_lowercase();
    let bytes = match encoding.as_str() {
        "quoted-printable" => decode_quoted_printable(body),
        "base64" => decode_base64(body),
        _ => body.as_bytes().to_vec(),
    };
    Delivered {
        to: header("To").to_ascii_lowercase(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Quoted-printable: `=XX` bytes, and `=` at a line's end joining it to the next.
fn decode_quoted_printable(text: &str) -> Vec<u8> {
    let text = text.replace("=\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let hex = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let sextets: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(sextets.len() * 3 / 4);
    for chunk in sextets.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, v)| n | (u32::from(*v) << (18 - 6 * i)));
        for i in 0..chunk.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// The `[a-z0-9]` secret after `marker` in `body` (`/invite/`, `/verify-email/`).
fn secret_after<'a>(body: &'a str, marker: &str) -> &'a str {
    let start = body.find(marker).expect("marker") + marker.len();
    let rest = &body[start..];
    let end = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    &rest[..end]
}

async fn invitation_and_verification_mail_go_through_a_real_smtp_server(db: TestDb) {
    let smtp = SmtpSink::start().await;
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
    let mut config = db.config();
    config.smtp_url = Some(smtp.url());
    config.public_url = Some(format!("http://{addr}"));
    let s = TestServer::start_at(config, addr).await;
    let map = s.create_map("Mailed").await.id.0;

    // The invitation is mailed; its link, opened by the invitee's account, joins.
    let invitee = s.user("invitee@example.com").await;
    let (status, invited) = post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/members"),
        json!({"email": "invitee@example.com", "role": "commenter"}),
    )
    .await;
    assert_eq!(status, 201, "{invited}");
    assert_eq!(invited["emailed"], true, "{invited}");
    let mail = smtp.mail_to("invitee@example.com", "/invite/").await;
    assert!(
        mail.contains(&format!("http://{addr}/invite/")),
        "the link starts with the public URL: {mail}"
    );
    let secret = secret_after(&mail, "/invite/").to_owned();
    assert_eq!(
        secret,
        invitation_secret(invited["link"].as_str().expect("link")),
        "the mailed secret is the invitation's"
    );
    let (status, body) = post(
        &s,
        &invitee,
        &format!("/api/invitations/{secret}/accept"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(roster(&members(&s, &s.token, &map).await)
        .contains(&("invitee@example.com".into(), "commenter".into())));

    // A new account is mailed a verification link; once verified, an invitation to
    // its address is accepted from the inbox (and not before).
    let verified = s.user("verified@example.com").await;
    let verification = smtp.mail_to("verified@example.com", "/verify-email/").await;
    let token = secret_after(&verification, "/verify-email/").to_owned();
    s.invite(&map, "verified@example.com", "editor").await;
    let from_inbox = format!("/api/maps/{map}/invitation/accept");
    let (status, _) = post(&s, &verified, &from_inbox, json!({})).await;
    assert_eq!(status, 403, "not before the address is verified");
    assert!(!me(&s, &verified).await.email_verified);
    let confirm = format!("/api/auth/verify-email/{token}");
    let (status, _) = call(&s, Method::POST, None, &confirm, None).await;
    assert_eq!(status, 204);
    assert!(me(&s, &verified).await.email_verified);
    let (status, _) = call(&s, Method::POST, None, &confirm, None).await;
    assert_eq!(status, 404, "a verification link works once");
    let (status, body) = post(&s, &verified, &from_inbox, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["role"], "editor");
    assert_eq!(map_status(&s, &verified, &map).await, 200);

    // Asked in French (the web app sends the language a person reads), the mails are
    // written in French: the invitation in the inviter's, the verification in the
    // account's.
    let french = |method: Method, path: &str, token: &str| {
        reqwest::Client::new()
            .request(method, s.url(path))
            .bearer_auth(token)
            .header("accept-language", "fr-FR,fr;q=0.9")
            .header("x-requested-with", "parcours")
    };
    let res = french(Method::POST, &format!("/api/maps/{map}/members"), &s.token)
        .json(&json!({"email": "invitee.fr@example.com", "role": "editor"}))
        .send()
        .await
        .expect("invite");
    assert_eq!(res.status(), 201);
    let mail = smtp.mail_to("invitee.fr@example.com", "/invite/").await;
    assert!(
        mail.contains("vous invite sur la carte de parcours « Mailed » en tant qu'éditeur")
            && mail.contains(&format!(
                "il sert une fois, pendant {INVITATION_DAYS} jours"
            ))
            && !mail.contains("invited you"),
        "a French invitation: {mail}"
    );
    let francophone = s.user("francophone@example.com").await;
    let res = french(Method::POST, "/api/auth/verify-email", &francophone)
        .send()
        .await
        .expect("verification");
    assert_eq!(res.status(), 202);
    let mail = smtp
        .mail_to("francophone@example.com", "confirmer que")
        .await;
    assert!(
        mail.contains("est bien votre adresse sur Parcours") && mail.contains("/verify-email/"),
        "a French verification: {mail}"
    );
}
both_backends!(invitation_and_verification_mail_go_through_a_real_smtp_server);
