//! Mail: invitation links and address verifications, sent through SMTP when
//! `--smtp-url` is set (`smtp://host:port` for a local relay, `smtps://user:pass@host`
//! or `smtp://...?tls=required` for a provider). Without it nothing is mailed: owners copy
//! invitation links from the share dialog, and addresses cannot be verified.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use parcours_shared::ids::Role;
use parcours_shared::Language;

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

impl Mail {
    /// An invitation to `to`, in `lang` (the inviter's: a team invites in its own
    /// language): who invites, to which map, as what, and the link that joins.
    pub fn invitation(
        lang: Language,
        to: &str,
        inviter: &str,
        title: &str,
        role: Role,
        days: impl std::fmt::Display,
        link: &str,
    ) -> Mail {
        let (subject, body) = match lang {
            Language::En => (
                format!("{inviter} invited you to “{title}” on Parcours"),
                format!(
                    "{inviter} invited you to the journey map “{title}” as {}.\n\n\
                     Open this link to join (it works once, for {days} days):\n{link}\n\n\
                     If you did not expect this, ignore this message.\n",
                    role.as_str()
                ),
            ),
            Language::Fr => (
                format!("{inviter} vous invite sur « {title} » dans Parcours"),
                format!(
                    "{inviter} vous invite sur la carte de parcours « {title} » en tant {}.\n\n\
                     Ouvrez ce lien pour la rejoindre (il sert une fois, pendant {days} jours) :\n{link}\n\n\
                     Si vous n'attendiez pas cette invitation, ignorez ce message.\n",
                    match role {
                        Role::Owner => "que propriétaire",
                        Role::Editor => "qu'éditeur",
                        Role::Commenter => "que commentateur",
                        Role::Viewer => "que lecteur",
                    }
                ),
            ),
        };
        Mail {
            to: to.to_owned(),
            subject,
            body,
        }
    }

    /// The link proving `to` receives mail, in `lang` (the request's).
    pub fn verification(
        lang: Language,
        to: &str,
        hours: impl std::fmt::Display,
        link: &str,
    ) -> Mail {
        let (subject, body) = match lang {
            Language::En => (
                "Confirm your address on Parcours".to_owned(),
                format!(
                    "Open this link to confirm that {to} is your address on Parcours \
                     (it works once, for {hours} hours):\n{link}\n"
                ),
            ),
            Language::Fr => (
                "Confirmez votre adresse sur Parcours".to_owned(),
                format!(
                    "Ouvrez ce lien pour confirmer que {to} est bien votre adresse sur Parcours \
                     (il sert une fois, pendant {hours} heures) :\n{link}\n"
                ),
            ),
        };
        Mail {
            to: to.to_owned(),
            subject,
            body,
        }
    }
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
