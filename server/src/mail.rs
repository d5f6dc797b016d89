//! Mail: invitation links and address verifications, sent through SMTP when
//! `--smtp-url` is set (`smtp://host:port` for a local relay, `smtps://user:pass@host`
//! or `smtp://...?tls=required` for a provider). Without it nothing is mailed: owners copy
//! invitation links from the share dialog, and addresses cannot be verified.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How long one delivery may take before it is reported as failed.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// One mail to send.
pub struct Mail {
    /// The recipient's address.
    pub to: String,
    pub subject: String,
    /// Plain text.
    pub body: String,
}

/// Why a mail was not sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("no SMTP server is configured (--smtp-url)")]
    NotConfigured,
    #[error("bad address: {0}")]
    Address(String),
    #[error("delivery failed: {0}")]
    Delivery(String),
}

/// The configured SMTP transport, if any; cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Option<Mailbox>,
}

impl Mailer {
    /// A mailer for `smtp_url` (none: mail is off), sending from `from`.
    pub fn new(smtp_url: Option<&str>, from: &str) -> anyhow::Result<Mailer> {
        let Some(url) = smtp_url else {
            return Ok(Mailer {
                transport: None,
                from: None,
            });
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("--smtp-url: {e}"))?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| anyhow::anyhow!("--mail-from {from:?}: {e}"))?;
        Ok(Mailer {
            transport: Some(transport),
            from: Some(from),
        })
    }

    /// Whether mail is on.
    pub fn enabled(&self) -> bool {
        self.transport.is_some()
    }

    /// Sends `mail`, waiting for the SMTP server to take it.
    pub async fn send(&self, mail: Mail) -> Result<(), MailError> {
        let (Some(transport), Some(from)) = (&self.transport, &self.from) else {
            return Err(MailError::NotConfigured);
        };
        let to = mail
            .to
            .parse::<Mailbox>()
            .map_err(|e| MailError::Address(e.to_string()))?;
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body)
            .map_err(|e| MailError::Address(e.to_string()))?;
        match tokio::time::timeout(SEND_TIMEOUT, transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(MailError::Delivery(e.to_string())),
            Err(_) => Err(MailError::Delivery("timed out".into())),
        }
    }
}
