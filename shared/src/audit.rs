//! The detail of an access audit line ([`crate::api::AuditEntry::detail`]) as data.
//!
//! The server stores each detail as the English sentence [`AuditDetail::english`]
//! writes; [`AuditDetail::read`] reads a stored one back, so the web app can word it
//! in the language it shows. Both live here, beside each other, so a form cannot change
//! on one side only (the round-trip test below).

use crate::ids::Role;

/// What an audit line says beyond its action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditDetail {
    /// Nothing more (`""`).
    Nothing,
    /// A role alone: a new member's or a private link's (`viewer`).
    Role(Role),
    /// An invitation's role (`as commenter`).
    As(Role),
    /// Someone joined through a link (`joined as viewer`).
    JoinedAs(Role),
    /// A removed member's role (`was editor`).
    Was(Role),
    /// A role changed (`commenter -> editor`).
    Changed { from: Role, to: Role },
    /// A public link (`viewer, public, without comments`).
    Public { role: Role, comments: bool },
    /// A link revoked with the members who joined through it.
    MembersRemoved(u64),
    /// Ownership passed on: the old owner became an editor.
    Transferred,
    /// An invitation to one address, accepted by an account of another (or the same).
    Accepted {
        invited: String,
        role: Role,
        by: String,
    },
}

const WITH_COMMENTS: &str = ", public, with comments and review rounds";
const WITHOUT_COMMENTS: &str = ", public, without comments";
const MEMBERS_REMOVED: &str = " members who joined through it removed";
const TRANSFERRED: &str = "owner -> editor; new owner";

impl AuditDetail {
    /// The stored form.
    pub fn english(&self) -> String {
        match self {
            AuditDetail::Nothing => String::new(),
            AuditDetail::Role(r) => r.as_str().to_owned(),
            AuditDetail::As(r) => format!("as {}", r.as_str()),
            AuditDetail::JoinedAs(r) => format!("joined as {}", r.as_str()),
            AuditDetail::Was(r) => format!("was {}", r.as_str()),
            AuditDetail::Changed { from, to } => format!("{} -> {}", from.as_str(), to.as_str()),
            AuditDetail::Public { role, comments } => format!(
                "{}{}",
                role.as_str(),
                if *comments {
                    WITH_COMMENTS
                } else {
                    WITHOUT_COMMENTS
                }
            ),
            AuditDetail::MembersRemoved(n) => format!("{n}{MEMBERS_REMOVED}"),
            AuditDetail::Transferred => TRANSFERRED.to_owned(),
            AuditDetail::Accepted { invited, role, by } => format!(
                "invitation to {invited} as {} accepted by {by}",
                role.as_str()
            ),
        }
    }

    /// A stored detail read back; `None` for text of no known form (an older or newer
    /// server's), which is then shown as written.
    pub fn read(detail: &str) -> Option<AuditDetail> {
        if detail.is_empty() {
            return Some(AuditDetail::Nothing);
        }
        if detail == TRANSFERRED {
            return Some(AuditDetail::Transferred);
        }
        if let Some(r) = Role::parse(detail) {
            return Some(AuditDetail::Role(r));
        }
        if let Some(rest) = detail.strip_prefix("invitation to ") {
            // The invited address has no " as "; the accepting one may be anything.
            let (invited, rest) = rest.split_once(" as ")?;
            let (role, by) = rest.split_once(" accepted by ")?;
            return Some(AuditDetail::Accepted {
                invited: invited.to_owned(),
                role: Role::parse(role)?,
                by: by.to_owned(),
            });
        }
        if let Some(r) = detail.strip_prefix("as ").and_then(Role::parse) {
            return Some(AuditDetail::As(r));
        }
        if let Some(r) = detail.strip_prefix("joined as ").and_then(Role::parse) {
            return Some(AuditDetail::JoinedAs(r));
        }
        if let Some(r) = detail.strip_prefix("was ").and_then(Role::parse) {
            return Some(AuditDetail::Was(r));
        }
        if let Some((from, to)) = detail.split_once(" -> ") {
            if let (Some(from), Some(to)) = (Role::parse(from), Role::parse(to)) {
                return Some(AuditDetail::Changed { from, to });
            }
        }
        for (suffix, comments) in [(WITH_COMMENTS, true), (WITHOUT_COMMENTS, false)] {
            if let Some(role) = detail.strip_suffix(suffix).and_then(Role::parse) {
                return Some(AuditDetail::Public { role, comments });
            }
        }
        detail
            .strip_suffix(MEMBERS_REMOVED)
            .and_then(|n| n.parse().ok())
            .map(AuditDetail::MembersRemoved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_detail_reads_back_as_written() {
        let mut details = vec![
            AuditDetail::Nothing,
            AuditDetail::MembersRemoved(0),
            AuditDetail::MembersRemoved(12),
            AuditDetail::Transferred,
            AuditDetail::Accepted {
                invited: "ana@example.com".into(),
                role: Role::Commenter,
                by: "ana.other@example.com".into(),
            },
        ];
        for role in Role::ALL {
            details.extend([
                AuditDetail::Role(role),
                AuditDetail::As(role),
                AuditDetail::JoinedAs(role),
                AuditDetail::Was(role),
                AuditDetail::Public {
                    role,
                    comments: true,
                },
                AuditDetail::Public {
                    role,
                    comments: false,
                },
            ]);
            for to in Role::ALL {
                details.push(AuditDetail::Changed { from: role, to });
            }
        }
        for detail in details {
            let written = detail.english();
            assert_eq!(AuditDetail::read(&written), Some(detail), "{written}");
        }
        // The forms the trail has always had.
        assert_eq!(
            AuditDetail::read("viewer, public, without comments"),
            Some(AuditDetail::Public {
                role: Role::Viewer,
                comments: false
            })
        );
        assert_eq!(
            AuditDetail::read("commenter -> viewer"),
            Some(AuditDetail::Changed {
                from: Role::Commenter,
                to: Role::Viewer
            })
        );
    }

    #[test]
    fn other_text_is_not_read() {
        for other in [
            "something newer",
            "as admin",
            "owner -> admin",
            "x members who joined through it removed",
            "invitation to ana@example.com as king accepted by b",
            "invitation to ana@example.com",
        ] {
            assert_eq!(AuditDetail::read(other), None, "{other}");
        }
    }
}
