//! Error messages in the language the client asks for. Every API error carries a stable
//! `code` and a human `message` written in English where it is raised; a request whose
//! `Accept-Language` prefers French gets the message in French, the code unchanged
//! (the web app sends the language a person chose). The translation is by pattern:
//! each entry pairs an English message with its French, `{}` standing for a value
//! (a number, a name) carried over as is. A message without an entry stays English, and
//! the tests below read the server's sources to check that every message raised with a
//! literal text has one.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use parcours_shared::{ErrorBody, Language};

/// The language an `Accept-Language` header prefers among those the server has
/// (highest `q` first, the earlier on a tie); English when it names neither.
pub fn preferred(headers: &HeaderMap) -> Language {
    let Some(value) = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    else {
        return Language::En;
    };
    let mut best: Option<(f32, Language)> = None;
    for item in value.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        // An unreadable weight drops the language (as a weight outside 0 to 1 would).
        let q = match parts.find_map(|p| p.trim().strip_prefix("q=")) {
            None => 1.0,
            Some(q) => match q.trim().parse::<f32>() {
                Ok(q) if (0.0..=1.0).contains(&q) => q,
                _ => continue,
            },
        };
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        let lang = if primary.eq_ignore_ascii_case("fr") {
            Language::Fr
        } else if primary.eq_ignore_ascii_case("en") {
            Language::En
        } else {
            continue;
        };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map_or(Language::En, |(_, lang)| lang)
}

/// Middleware: rewrites an error response's message in the request's language. Error
/// responses carry their [`ErrorBody`] as an extension (see `error.rs`), so nothing is
/// parsed back.
pub async fn localize_errors(request: Request, next: Next) -> Response {
    let lang = preferred(request.headers());
    let response = next.run(request).await;
    if lang == Language::En {
        return response;
    }
    let Some(body) = response.extensions().get::<ErrorBody>().cloned() else {
        return response;
    };
    let Some(message) = french(&body.message) else {
        return response;
    };
    let json = serde_json::to_vec(&ErrorBody {
        code: body.code,
        message,
    })
    .unwrap_or_default();
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_LANGUAGE, HeaderValue::from_static("fr"));
    Response::from_parts(parts, Body::from(json))
}

/// The French of an English error message, if the catalogue has it.
pub fn french(english: &str) -> Option<String> {
    MESSAGES
        .iter()
        .find_map(|(en, fr)| matches(en, english).map(|values| fill(fr, &values)))
}

/// The values standing for the `{}` of `pattern` in `text`, if `text` reads like it.
fn matches<'a>(pattern: &str, text: &'a str) -> Option<Vec<&'a str>> {
    let mut pieces = pattern.split("{}");
    let mut rest = text.strip_prefix(pieces.next().unwrap_or_default())?;
    let pieces: Vec<&str> = pieces.collect();
    if pieces.is_empty() {
        return rest.is_empty().then(Vec::new);
    }
    let mut values = Vec::with_capacity(pieces.len());
    for (i, piece) in pieces.iter().enumerate() {
        let end = if i + 1 == pieces.len() {
            // The last piece ends the text.
            rest.strip_suffix(piece)?.len()
        } else {
            rest.find(piece)?
        };
        if end == 0 {
            return None;
        }
        values.push(&rest[..end]);
        rest = &rest[end + piece.len()..];
    }
    Some(values)
}

/// `pattern` with its `{}` replaced by `values`, in order.
fn fill(pattern: &str, values: &[&str]) -> String {
    let mut out = String::new();
    for (i, piece) in pattern.split("{}").enumerate() {
        if i > 0 {
            out.push_str(values.get(i - 1).copied().unwrap_or_default());
        }
        out.push_str(piece);
    }
    out
}

/// English message → French, `{}` for a value. Messages that name one of a few things
/// in English (`map not found`, whose connections) have one entry per thing.
static MESSAGES: &[(&str, &str)] = &[
    // Accounts and sign-in.
    ("that does not look like an email address", "cela ne ressemble pas à une adresse e-mail"),
    ("wrong email or password", "adresse e-mail ou mot de passe incorrect"),
    (
        "sign-up is by invitation only on this server; ask a map owner to invite you",
        "sur ce serveur, on s’inscrit sur invitation ; demandez au propriétaire d’une carte de vous inviter",
    ),
    ("too many attempts; try again in 15 minutes", "trop de tentatives ; réessayez dans 15 minutes"),
    (
        "sign in required (the session is missing, expired or revoked)",
        "connexion requise (la session est absente, expirée ou révoquée)",
    ),
    ("the password must be at least {} characters", "le mot de passe doit compter au moins {} caractères"),
    ("the password must be at most {} bytes", "le mot de passe doit tenir en {} octets au plus"),
    ("the display name must be 1 to {} characters", "le nom affiché compte de 1 à {} caractères"),
    ("an account with this email exists", "un compte existe déjà avec cette adresse e-mail"),
    (
        "this server sends no mail, so addresses cannot be verified",
        "ce serveur n’envoie pas de courrier : les adresses ne peuvent pas être vérifiées",
    ),
    (
        "the server is busy checking passwords; try again shortly",
        "le serveur est occupé à vérifier des mots de passe ; réessayez dans un instant",
    ),
    (
        "this account holds {} live map connections already; close some first",
        "ce compte a déjà {} connexions ouvertes ; fermez-en d’abord",
    ),
    (
        "this address holds {} live map connections already; close some first",
        "cette adresse a déjà {} connexions ouvertes ; fermez-en d’abord",
    ),
    (
        "this account holds {} event streams already; close some first",
        "ce compte a déjà {} flux d’événements ouverts ; fermez-en d’abord",
    ),
    (
        "this address holds {} event streams already; close some first",
        "cette adresse a déjà {} flux d’événements ouverts ; fermez-en d’abord",
    ),
    // Things not found.
    ("map not found", "carte introuvable"),
    ("version not found", "version introuvable"),
    ("round not found", "tour de relecture introuvable"),
    ("member not found", "membre introuvable"),
    ("link not found", "lien introuvable"),
    ("invitation not found", "invitation introuvable"),
    ("comment not found", "commentaire introuvable"),
    ("thread not found", "fil de discussion introuvable"),
    ("dataset not found", "jeu de données introuvable"),
    ("verification not found", "vérification introuvable"),
    ("route not found", "adresse inconnue"),
    // Access.
    ("your role on this map does not allow this", "votre rôle sur cette carte ne le permet pas"),
    ("you are not a member of this map", "vous n’êtes pas membre de cette carte"),
    (
        "this public link shows the map, not its comments and review rounds",
        "ce lien public montre la carte, pas ses commentaires ni ses tours de relecture",
    ),
    (
        "a public link shows the map, not the customer data behind it",
        "un lien public montre la carte, pas les données clients qui l’étayent",
    ),
    (
        "a public link shows the live map only, not its history",
        "un lien public montre la carte en direct seulement, pas son historique",
    ),
    (
        "this page's origin may not read events with your session",
        "l’origine de cette page ne peut pas lire les événements avec votre session",
    ),
    (
        "this page's origin may not open the map with your session",
        "l’origine de cette page ne peut pas ouvrir la carte avec votre session",
    ),
    (
        "a request that changes something must carry a JSON body or the X-Requested-With header",
        "une requête qui modifie quelque chose doit porter un corps JSON ou l’en-tête X-Requested-With",
    ),
    ("the metrics need the metrics token", "les métriques demandent le jeton des métriques"),
    // Maps, members and links.
    ("title must not be empty", "le titre ne doit pas être vide"),
    ("title must be at most {} characters", "le titre compte au plus {} caractères"),
    ("title must be 1 to {} characters", "le titre compte de 1 à {} caractères"),
    ("a map must keep at least one owner", "une carte doit garder au moins un propriétaire"),
    ("already exists", "existe déjà"),
    ("you already own this map", "vous êtes déjà propriétaire de cette carte"),
    ("a link cannot grant ownership", "un lien ne peut pas donner la propriété"),
    (
        "a public link is read-only: use role viewer",
        "un lien public est en lecture seule : choisissez le rôle lecteur",
    ),
    ("the expiry must be in the future", "l’expiration doit être dans le futur"),
    (
        "a public link opens the map read-only without an account; it does not make you a member",
        "un lien public ouvre la carte en lecture seule sans compte ; il ne fait pas de vous un membre",
    ),
    ("after must be an audit entry id", "after doit être l’identifiant d’une entrée du journal"),
    (
        "this address belongs to a member already; change its role instead",
        "cette adresse appartient déjà à un membre ; changez plutôt son rôle",
    ),
    (
        "verify your email address first, or open the invitation link sent to it",
        "vérifiez d’abord votre adresse e-mail, ou ouvrez le lien d’invitation qui lui a été envoyé",
    ),
    ("limit must be 1 to {}", "limit va de 1 à {}"),
    // Comments and review rounds.
    ("status must be open or resolved", "le statut est open ou resolved"),
    (
        "round_id must name an open review round of this map",
        "round_id doit désigner un tour de relecture ouvert de cette carte",
    ),
    (
        "only editors, owners and the thread's author may resolve or reopen it",
        "seuls les éditeurs, les propriétaires et l’auteur du fil peuvent le résoudre ou le rouvrir",
    ),
    (
        "only its author may edit or delete a comment",
        "seul son auteur peut modifier ou supprimer un commentaire",
    ),
    ("a comment must not be empty", "un commentaire ne doit pas être vide"),
    ("a comment is at most {} characters", "un commentaire compte au plus {} caractères"),
    (
        "the anchor must name an existing card, stage, lane or stage|lane cell of this map",
        "l’ancre doit désigner une carte, une étape, un couloir ou une case étape|couloir de cette carte",
    ),
    ("instructions are at most {} characters", "les consignes comptent au plus {} caractères"),
    ("the due date must be in the future", "l’échéance doit être dans le futur"),
    ("a round needs at least one reviewer", "un tour de relecture demande au moins un relecteur"),
    (
        "reviewers must be members of this map who can comment",
        "les relecteurs doivent être des membres de cette carte qui peuvent commenter",
    ),
    ("this round is closed", "ce tour de relecture est clos"),
    ("a summary is at most {} characters", "une synthèse compte au plus {} caractères"),
    ("you are not a reviewer of this round", "vous n’êtes pas relecteur de ce tour"),
    ("before must be an inbox item id", "before doit être l’identifiant d’un élément de la boîte de réception"),
    (
        "mark at most {} items read at once (or all with \"all\": true)",
        "marquez au plus {} éléments comme lus à la fois (ou tous avec \"all\": true)",
    ),
    // History.
    ("a version name is 1 to {} characters", "un nom de version compte de 1 à {} caractères"),
    ("`from` is after `to`", "`from` est après `to`"),
    (
        "`from` is required: a version id or a moment (ms)",
        "`from` est requis : un identifiant de version ou un instant (ms)",
    ),
    ("give either `version` or `at`", "donnez soit `version`, soit `at`"),
    ("give `version` or `at`, not both", "donnez `version` ou `at`, pas les deux"),
    (
        "`{}` must be a moment in milliseconds since the epoch",
        "`{}` doit être un instant en millisecondes depuis l’époque Unix",
    ),
    (
        "`element` must be the id of a card, stage, lane, persona or map field",
        "`element` doit être l’identifiant d’une carte, d’une étape, d’un couloir, d’un persona ou d’un champ de la carte",
    ),
    (
        "that moment is older than the history this server keeps",
        "ce moment est plus ancien que l’historique que garde ce serveur",
    ),
    ("nothing changed since the last version", "rien n’a changé depuis la dernière version"),
    (
        "nothing to restore: the map already reads like that",
        "rien à restaurer : la carte se lit déjà ainsi",
    ),
    (
        "the map's storage is busy; try again in a moment",
        "le stockage de la carte est occupé ; réessayez dans un instant",
    ),
    // Evidence.
    ("the file is larger than {} bytes (--max-import-bytes)", "le fichier dépasse {} octets (--max-import-bytes)"),
    ("a dataset name is 1 to {} characters", "un nom de jeu de données compte de 1 à {} caractères"),
    ("unknown timestamp format “{}”", "format d’horodatage inconnu « {} »"),
    ("the delimiter must be , ; | or tab, not “{}”", "le séparateur est , ; | ou tabulation, pas « {} »"),
    ("a map holds at most {} datasets; delete one first", "une carte garde au plus {} jeux de données ; supprimez-en un d’abord"),
    ("the log has no activity “{}”", "le journal n’a pas d’activité « {} »"),
    ("the map has no stage “{}”", "la carte n’a pas d’étape « {} »"),
    ("the map has no card “{}”", "la carte n’a pas de carte « {} »"),
    ("the conversion window is 1 to {} days", "la fenêtre de conversion va de 1 à {} jours"),
    (
        "a KPI link needs a KPI card of this map and a metric: overall_conversion, or reach:, conversion: or median_days: followed by a stage id",
        "un lien d’indicateur demande une carte KPI de cette carte et une mesure : overall_conversion, ou reach:, conversion: ou median_days: suivi de l’identifiant d’une étape",
    ),
    // Exports and imports.
    ("`format` is one of pdf, png, svg, csv, json", "`format` est pdf, png, svg, csv ou json"),
    ("`paper` is one of poster, a4, a3", "`paper` est poster, a4 ou a3"),
    ("`scale` is 1 or 2", "`scale` vaut 1 ou 2"),
    ("`lang` is en or fr", "`lang` vaut en ou fr"),
    (
        "`at` must be a moment in milliseconds since the epoch",
        "`at` doit être un instant en millisecondes depuis l’époque Unix",
    ),
    ("`format` is json or csv", "`format` est json ou csv"),
    ("an import is at most {} bytes", "un import fait au plus {} octets"),
    ("upload interrupted: {}", "envoi interrompu : {}"),
    (
        "too many exports are being drawn; try again in a moment",
        "trop d’exports sont en cours de dessin ; réessayez dans un instant",
    ),
    // Health and faults.
    (
        "writes to the database are failing; edits are kept in memory and retried",
        "les écritures en base échouent ; les modifications sont gardées en mémoire et réessayées",
    ),
    ("database unavailable", "base de données indisponible"),
    ("internal error", "erreur interne"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(value).unwrap(),
        );
        h
    }

    #[test]
    fn the_preferred_language_follows_q_values_and_defaults_to_english() {
        assert_eq!(preferred(&HeaderMap::new()), Language::En);
        assert_eq!(preferred(&headers("fr")), Language::Fr);
        assert_eq!(preferred(&headers("fr-CA,fr;q=0.9,en;q=0.8")), Language::Fr);
        assert_eq!(preferred(&headers("en-GB,fr;q=0.5")), Language::En);
        assert_eq!(preferred(&headers("de, fr;q=0.2")), Language::Fr);
        assert_eq!(preferred(&headers("fr;q=0.1, en")), Language::En);
        assert_eq!(preferred(&headers("fr;q=0")), Language::En);
        assert_eq!(preferred(&headers("de, it")), Language::En);
        assert_eq!(preferred(&headers("fr;q=nan, en;q=0.5")), Language::En);
        assert_eq!(preferred(&headers(";;,,q=")), Language::En);
    }

    #[test]
    fn messages_are_translated_with_their_values() {
        assert_eq!(
            french("title must be at most 200 characters").as_deref(),
            Some("le titre compte au plus 200 caractères")
        );
        assert_eq!(
            french("map not found").as_deref(),
            Some("carte introuvable")
        );
        assert_eq!(
            french("the map has no stage “Achat”").as_deref(),
            Some("la carte n’a pas d’étape « Achat »")
        );
        assert_eq!(
            french("`to` must be a moment in milliseconds since the epoch").as_deref(),
            Some("`to` doit être un instant en millisecondes depuis l’époque Unix")
        );
        // Not a message of the catalogue: left as it is.
        assert_eq!(french("title must be at most"), None);
        assert_eq!(french("something else entirely"), None);
        assert_eq!(french(""), None);
    }

    #[test]
    fn every_entry_keeps_its_values_and_is_really_translated() {
        for (en, fr) in MESSAGES {
            assert_eq!(
                en.matches("{}").count(),
                fr.matches("{}").count(),
                "{en:?} and {fr:?} carry different values"
            );
            assert_ne!(en, fr, "{en:?} is not translated");
            assert!(
                !en.contains("{}{}"),
                "{en:?}: two values side by side cannot be told apart"
            );
        }
        let mut seen = std::collections::HashSet::new();
        for (en, _) in MESSAGES {
            assert!(seen.insert(*en), "{en:?} is listed twice");
        }
    }

    /// The English messages the server raises with a literal text: the second string of
    /// `ApiError::invalid(…)`, `conflict(…)` and `error_response(…)`, the first of
    /// `Forbidden(…)`, and `message:` literals, each read from the sources; a
    /// `format!` text's `{name}` becomes `{}`.
    fn raised_messages() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![root];
        let mut found = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                for entry in std::fs::read_dir(&path).unwrap() {
                    files.push(entry.unwrap().path());
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("locale.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for (call, skip) in [
                ("ApiError::invalid(", 1),
                ("ApiError::conflict(", 1),
                ("error_response(", 1),
                ("ApiError::Forbidden(", 0),
                ("message: \"", 0),
                ("message: format!(", 0),
            ] {
                for (at, _) in source.match_indices(call) {
                    let after = &source[at + call.len()..];
                    let start = if call.ends_with('"') {
                        at + call.len() - 1
                    } else {
                        at + call.len()
                    };
                    let strings = literals(&source[start..start + after.len().min(600)]);
                    if let Some(text) = strings.get(skip) {
                        found.push((format!("{}: {call}", path.display()), text.clone()));
                    }
                }
            }
        }
        found
    }

    /// The string literals at the start of `code` (before the call's closing paren),
    /// each with `{…}` made `{}`.
    fn literals(code: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut depth = 0i32;
        let mut chars = code.char_indices().peekable();
        while let Some((_, c)) = chars.next() {
            match c {
                '(' | '{' | '[' => depth += 1,
                ')' | '}' | ']' => {
                    depth -= 1;
                    if depth < 0 {
                        break;
                    }
                }
                '"' => {
                    let mut text = String::new();
                    while let Some((_, c)) = chars.next() {
                        match c {
                            '\\' => {
                                if let Some((_, n)) = chars.next() {
                                    text.push(n);
                                }
                            }
                            '"' => break,
                            c => text.push(c),
                        }
                    }
                    out.push(text);
                }
                _ => {}
            }
        }
        out.into_iter()
            .map(|s| {
                let mut plain = String::new();
                let mut hole = false;
                for c in s.chars() {
                    match (c, hole) {
                        ('{', false) => hole = true,
                        ('}', true) => {
                            hole = false;
                            plain.push_str("{}");
                        }
                        (_, true) => {}
                        (c, false) => plain.push(c),
                    }
                }
                plain
            })
            .collect()
    }

    #[test]
    fn every_message_raised_with_a_literal_text_has_its_french() {
        let raised = raised_messages();
        assert!(
            raised.len() > 60,
            "the source scan found only {} messages",
            raised.len()
        );
        let missing: Vec<_> = raised
            .iter()
            .filter(|(_, text)| text.contains(' ') && text.chars().any(char::is_alphabetic))
            .filter(|(_, text)| !MESSAGES.iter().any(|(en, _)| en == text))
            .filter(|(_, text)| !NOT_SHOWN.contains(&text.as_str()))
            .collect();
        assert!(missing.is_empty(), "messages without French: {missing:#?}");
    }

    /// Texts the scan finds that are rightly without an entry: the generic form of a
    /// message listed once per thing it names, and an import's `problems` (English, as
    /// the README says).
    const NOT_SHOWN: &[&str] = &[
        "{} holds {} {} already; close some first",
        "could not be written: {}",
    ];
}
