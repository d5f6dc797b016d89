//! French and English. The language is the person's choice in this browser (the
//! account menu's switch), else the first of the browser's preferred languages the app
//! has, else English; `<html lang>` follows it.
//!
//! Every string lives in one catalogue, [`catalogue!`], each entry with both languages
//! side by side: an entry cannot miss a language (it would not compile), and the tests
//! below check that none is empty, that a French text is not the English one copied
//! (but for the few words both languages write alike, listed), and that both carry the
//! same `{placeholders}`. Components read [`t()`] when they render; changing the
//! language renders the app again (see `app.rs`).
//!
//! The move to the catalogue is under way: the frame, the sign-in page, the keyboard
//! shortcuts, the map's head and the board's frame, presentation mode and the phone
//! layout, following, the empty map's offer and the comments button read it; other
//! pages still hold English literals (issue 17).

use std::fmt::Display;

use leptos::prelude::*;

/// A language the app speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    /// Both, in the order the switch lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The BCP 47 code (`<html lang>`, the stored choice).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// Its own name for itself, as a language switch shows it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }

    /// The language of a tag such as `fr`, `fr-CA` or `en_GB`, if the app has it.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The first of a browser's preferred languages the app has; English otherwise.
    pub fn from_preferences<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter().find_map(Lang::parse).unwrap_or(Lang::En)
    }

    /// This language's catalogue.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }
}

/// Declares [`Texts`] (one field per string), [`EN`], [`FR`] and [`ENTRIES`] from
/// `key: "English" / "Français";` lines.
macro_rules! catalogue {
    ($($key:ident: $en:literal / $fr:literal;)*) => {
        /// Every string of the web app, in one language.
        #[allow(missing_docs)]
        pub struct Texts {
            $(pub $key: &'static str,)*
        }
        /// The English catalogue.
        pub static EN: Texts = Texts { $($key: $en,)* };
        /// The French catalogue.
        pub static FR: Texts = Texts { $($key: $fr,)* };
        /// (key, English, French) of every entry, for the checks.
        pub const ENTRIES: &[(&str, &str, &str)] = &[$((stringify!($key), $en, $fr),)*];
    };
}

catalogue! {
    // The frame.
    brand_home: "Parcours home" / "Accueil de Parcours";
    inbox: "Inbox" / "Boîte de réception";
    sign_in: "Sign in" / "Se connecter";
    sign_out: "Sign out" / "Se déconnecter";
    admin_badge: "admin" / "admin";
    admin_title: "Instance administrator" / "Administrateur·rice de l'instance";
    language: "Language" / "Langue";
    loading: "Loading…" / "Chargement…";
    redirecting: "Redirecting…" / "Redirection…";
    unreachable_title: "Parcours is not answering" / "Parcours ne répond pas";
    try_again: "Try again" / "Réessayer";
    // The sign-in page and its forms.
    login_page_title: "Sign in · Parcours" / "Connexion · Parcours";
    welcome: "Welcome to Parcours" / "Bienvenue sur Parcours";
    welcome_hint: "Sign in to see your journey maps, or create an account to start one."
        / "Connectez-vous pour retrouver vos parcours clients, ou créez un compte pour en commencer un.";
    email: "Email" / "Adresse e-mail";
    password: "Password" / "Mot de passe";
    signing_in: "Signing in…" / "Connexion…";
    create_account_heading: "Create an account" / "Créer un compte";
    display_name: "Display name" / "Nom affiché";
    password_hint: "At least {n} characters." / "Au moins {n} caractères.";
    creating_account: "Creating your account…" / "Création du compte…";
    create_account: "Create account" / "Créer le compte";
    // The server's errors the web app words itself (by their code), and its own.
    err_invalid_credentials: "wrong email or password" / "adresse e-mail ou mot de passe incorrect";
    err_signup_closed: "sign-up is by invitation only on this server; ask a map owner to invite you"
        / "sur ce serveur, on ne s'inscrit que sur invitation : demandez à un·e propriétaire de carte de vous inviter";
    err_too_many_attempts: "too many attempts; try again in 15 minutes"
        / "trop de tentatives ; réessayez dans 15 minutes";
    err_invalid_email: "that does not look like an email address"
        / "cela ne ressemble pas à une adresse e-mail";
    err_email_taken: "an account with this email exists" / "un compte existe déjà avec cette adresse";
    err_unauthorized: "sign in required (the session is missing, expired or revoked)"
        / "connexion requise (la session est absente, expirée ou révoquée)";
    err_internal: "internal error" / "erreur interne";
    err_network: "Could not reach the server: {why}" / "Impossible de joindre le serveur : {why}";
    err_unexpected: "Unexpected response from the server (HTTP {status})."
        / "Réponse inattendue du serveur (HTTP {status}).";
    // The map page's head and the board's frame.
    all_maps: "← All maps" / "← Toutes les cartes";
    loading_map: "Loading the map…" / "Chargement de la carte…";
    map_load_failed: "Could not load this map." / "Impossible de charger cette carte.";
    guest: "Guest" / "Invité·e";
    edited: "edited " / "modifiée ";
    archived: "Archived" / "Archivée";
    shared_by_link: "Shared by public link" / "Partagée par lien public";
    share: "Share" / "Partager";
    undo: "↶ Undo" / "↶ Annuler";
    undo_title: "Undo your last edit (Ctrl+Z)" / "Annuler votre dernière modification (Ctrl+Z)";
    redo: "↷ Redo" / "↷ Rétablir";
    redo_title: "Redo (Ctrl+Shift+Z)" / "Rétablir (Ctrl+Maj+Z)";
    evidence: "Evidence" / "Données clients";
    evidence_title: "What customers actually do: metrics per stage, funnel, flows, friction"
        / "Ce que font vraiment les clients : indicateurs par étape, entonnoir, flux, frictions";
    history: "History" / "Historique";
    history_title: "Versions, past moments, comparisons and restores"
        / "Versions, moments passés, comparaisons et restaurations";
    stages_corner: "Stages →" / "Étapes →";
    emotion_curve: "Emotion curve" / "Courbe émotionnelle";
    emotion_scale: "−2 … +2 per persona" / "−2 … +2 par persona";
    add_stage: "+ Stage" / "+ Étape";
    new_stage: "New stage" / "Nouvelle étape";
    stage_name: "Stage name" / "Nom de l'étape";
    move_left: "Move left" / "Déplacer à gauche";
    move_right: "Move right" / "Déplacer à droite";
    remove_stage: "Remove this stage and its cards" / "Supprimer cette étape et ses cartes";
    lane_name: "Lane name" / "Nom du couloir";
    move_up: "Move up" / "Monter";
    move_down: "Move down" / "Descendre";
    remove_lane: "Remove this lane and its cards" / "Supprimer ce couloir et ses cartes";
    new_lane_kind: "Kind of the new lane" / "Type du nouveau couloir";
    add_lane: "+ Lane" / "+ Couloir";
    objective: "Objective" / "Objectif";
    objective_placeholder: "Why this map exists" / "Pourquoi cette carte existe";
    // Presentation mode and the phone layout.
    present: "Present" / "Présenter";
    present_title: "Show the map full screen, one stage at a time" / "Afficher la carte en plein écran, une étape à la fois";
    presentation_of: "Presentation of {title}" / "Présentation de {title}";
    previous: "← Previous" / "← Précédent";
    next: "Next →" / "Suivant →";
    exit: "Exit" / "Quitter";
    previous_step: "Previous step" / "Étape précédente";
    next_step: "Next step" / "Étape suivante";
    step: "Step" / "Étape";
    stages_nav: "Stages" / "Étapes";
    phone_board: "The map, one step at a time" / "La carte, une étape à la fois";
    overview_step: "Overview: objective and personas" / "Vue d'ensemble : objectif et personas";
    stage_n: "Stage {n}: {name}" / "Étape {n} : {name}";
    stage_n_of: "Stage {n} of {count}" / "Étape {n} sur {count}";
    whole_journey: "The whole journey" / "Le parcours entier";
    phone_note: "Editing the board needs a wider screen; comments work here."
        / "Modifier le tableau demande un écran plus large ; les commentaires fonctionnent ici.";
    segment_label: "Segment:" / "Segment :";
    goals_label: "Goals:" / "Objectifs :";
    pains_label: "Pains:" / "Difficultés :";
    preferences_label: "Preferences:" / "Préférences :";
    no_objective: "No objective written yet." / "Aucun objectif écrit pour l'instant.";
    stages_to_begin: "{n} stages · → to begin" / "{n} étapes · → pour commencer";
    how_it_feels: "How it feels" / "Ce que l'on ressent";
    pain_points_n: "Pain points ({n})" / "Points de douleur ({n})";
    pain_points: "Pain points" / "Points de douleur";
    no_pain: "None noted at this stage." / "Aucun noté à cette étape.";
    aim: " · aim: {score}" / " · visé : {score}";
    not_scored: "not scored" / "sans note";
    very_negative: "very negative" / "très négatif";
    negative: "negative" / "négatif";
    neutral: "neutral" / "neutre";
    positive: "positive" / "positif";
    very_positive: "very positive" / "très positif";
    // Following.
    following: "Following " / "Vous suivez ";
    following_at: " · at " / " · à ";
    stop: "Stop" / "Arrêter";
    leader_left: "The person you followed left the map." / "La personne que vous suiviez a quitté la carte.";
    ask_follow: "Ask everyone to follow me" / "Demander à tous de me suivre";
    stop_asking: "Stop asking to follow" / "Ne plus demander à être suivi·e";
    ask_follow_title: "Everyone on the map who follows nobody starts following your view"
        / "Toute personne sur la carte qui ne suit personne se met à suivre votre vue";
    follow_person: "Follow {name}" / "Suivre {name}";
    follow_person_title: "{name}: follow their view" / "{name} : suivre sa vue";
    you: "{name} (you)" / "{name} (vous)";
    // The empty map's offer.
    empty_title: "This map is empty" / "Cette carte est vide";
    empty_text: "A journey map starts from an objective and a persona, then the stages of their journey. Follow the method step by step, or fill the map from a sector example and make it yours."
        / "Une carte de parcours part d'un objectif et d'un persona, puis des étapes de son parcours. Suivez la méthode pas à pas, ou remplissez la carte à partir d'un exemple sectoriel et adaptez-le.";
    start_method: "Start with the method" / "Commencer par la méthode";
    or: "or" / "ou";
    fill_from_example: "Fill from the example" / "Remplir à partir de l'exemple";
    use_example: "Use this example" / "Utiliser cet exemple";
    template_not_empty: "Someone started this map meanwhile: the template was not added."
        / "Quelqu'un a commencé cette carte entre-temps : l'exemple n'a pas été ajouté.";
    template_failed: "The template could not be added: {why}." / "L'exemple n'a pas pu être ajouté : {why}.";
    map_not_loaded: "The map is not loaded yet." / "La carte n'est pas encore chargée.";
    // Comments.
    comments: "Comments" / "Commentaires";
    comments_n: "Comments ({n})" / "Commentaires ({n})";
    // The keyboard shortcuts sheet.
    shortcuts: "Keyboard shortcuts" / "Raccourcis clavier";
    shortcuts_button: "Keyboard shortcuts (?)" / "Raccourcis clavier (?)";
    sc_anywhere: "Anywhere" / "Partout";
    sc_toggle: "Show or hide this list" / "Afficher ou masquer cette liste";
    sc_escape_keys: "Escape" / "Échap";
    sc_escape: "Close a dialog, a menu or this list" / "Fermer une fenêtre, un menu ou cette liste";
    sc_tab_keys: "Tab / Shift+Tab" / "Tab / Maj+Tab";
    sc_tab: "Move to the next / previous control" / "Passer à la commande suivante / précédente";
    sc_board: "On the board (editors)" / "Sur le tableau (éditeurs)";
    sc_undo: "Undo your last edit" / "Annuler votre dernière modification";
    sc_redo_keys: "Ctrl+Shift+Z or Ctrl+Y" / "Ctrl+Maj+Z ou Ctrl+Y";
    sc_redo: "Redo" / "Rétablir";
    sc_enter: "Save the card being typed and leave it" / "Enregistrer la carte en cours et la quitter";
    sc_shift_enter_keys: "Shift+Enter" / "Maj+Entrée";
    sc_enter_keys: "Enter" / "Entrée";
    sc_new_line: "New line in a card" / "Nouvelle ligne dans une carte";
    sc_move_stage: "Move the focused card to the previous / next stage"
        / "Déplacer la carte active vers l'étape précédente / suivante";
    sc_move_lane: "Move the focused card up / down, across lanes at the ends"
        / "Monter / descendre la carte active, d'un couloir à l'autre aux extrémités";
    sc_emotion: "On an emotion point" / "Sur un point d'émotion";
    sc_raise: "Raise / lower the score" / "Monter / baisser la note";
    sc_home_end_keys: "Home / End" / "Début / Fin";
    sc_extremes: "Lowest / highest score" / "Note la plus basse / la plus haute";
    sc_delete_keys: "Delete" / "Suppr";
    sc_clear: "Clear the score" / "Effacer la note";
}

/// `text` with each `{name}` replaced by its value.
pub fn fill(text: &str, args: &[(&str, &dyn Display)]) -> String {
    args.iter().fold(text.to_owned(), |out, (name, value)| {
        out.replace(&format!("{{{name}}}"), &value.to_string())
    })
}

/// Where the person's choice is kept in this browser.
const LANG_KEY: &str = "parcours.lang";

/// The language shown, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// Picks the language (the stored choice, else the browser's), provides it as
    /// context and sets `<html lang>`.
    pub fn install() -> I18n {
        let stored = storage()
            .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
            .and_then(|code| Lang::parse(&code));
        let lang = stored.unwrap_or_else(|| {
            let tags: Vec<String> = window()
                .navigator()
                .languages()
                .iter()
                .filter_map(|v| v.as_string())
                .collect();
            Lang::from_preferences(tags.iter().map(String::as_str))
        });
        let i18n = I18n {
            lang: RwSignal::new(lang),
        };
        set_document_lang(lang);
        provide_context(i18n);
        i18n
    }

    /// The context, if installed.
    pub fn get() -> Option<I18n> {
        use_context::<I18n>()
    }

    /// The language shown (tracked).
    pub fn lang(self) -> Lang {
        self.lang.get()
    }

    /// Switches to `lang` and remembers it in this browser.
    pub fn set(self, lang: Lang) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(LANG_KEY, lang.code());
        }
        set_document_lang(lang);
        self.lang.set(lang);
    }
}

/// The texts of the language shown (not tracked: the app renders again on a switch).
pub fn t() -> &'static Texts {
    I18n::get()
        .map(|i| i.lang.get_untracked())
        .unwrap_or(Lang::En)
        .texts()
}

/// The browser's `localStorage`, where the app keeps a person's choices (a private
/// window may have none).
pub fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn set_document_lang(lang: Lang) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", lang.code());
    }
}

/// The account menu's language switch.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let Some(i18n) = I18n::get() else {
        return ().into_any();
    };
    let options = Lang::ALL
        .into_iter()
        .map(|l| view! { <option value=l.code() lang=l.code()>{l.name()}</option> })
        .collect_view();
    view! {
        <select
            class="language-switch"
            data-testid="language-switch"
            aria-label=t().language
            prop:value=move || i18n.lang().code()
            on:change=move |ev| {
                if let Some(lang) = Lang::parse(&event_target_value(&ev)) {
                    i18n.set(lang);
                }
            }
        >
            {options}
        </select>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts written alike in both languages, allowed to be the same.
    const SAME_IN_BOTH: &[&str] = &["admin_badge"];

    /// The `{names}` in a text.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn every_entry_is_written_in_both_languages() {
        let mut keys = std::collections::HashSet::new();
        for (key, en, fr) in ENTRIES {
            assert!(keys.insert(key), "{key} twice");
            assert!(
                !en.trim().is_empty() && !fr.trim().is_empty(),
                "{key} is empty"
            );
            if !SAME_IN_BOTH.contains(key) {
                assert_ne!(en, fr, "{key}: the French text is the English one");
            }
            assert_eq!(
                placeholders(en),
                placeholders(fr),
                "{key}: placeholders differ"
            );
        }
        assert!(
            SAME_IN_BOTH.iter().all(|k| keys.contains(k)),
            "a stale allowance"
        );
    }

    #[test]
    fn the_browser_preference_picks_the_language() {
        assert_eq!(Lang::from_preferences(["fr-CA", "en-US"]), Lang::Fr);
        assert_eq!(Lang::from_preferences(["de-DE", "en_GB", "fr"]), Lang::En);
        assert_eq!(Lang::from_preferences(["de", "FR"]), Lang::Fr);
        assert_eq!(Lang::from_preferences([]), Lang::En);
        assert_eq!(Lang::parse("pt-BR"), None);
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill(FR.password_hint, &[("n", &10)]),
            "Au moins 10 caractères."
        );
        assert_eq!(
            fill(EN.password_hint, &[("n", &10)]),
            "At least 10 characters."
        );
    }
}
