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
//! Everything the web app shows is in the catalogue ([`catalogue`]): page texts,
//! labels, placeholders, titles and `aria-label`s, notices and confirmations, empty
//! states, relative times and dates (`format.rs`), the kinds, roles, channels and
//! statuses, the method's steps, checks and details (worded by id from the shared
//! crate's), template names and descriptions, and the server's errors it words by
//! code, and the texts the server sends as a form and values next to its English
//! (inbox lines, friction sentences, skipped event-log rows, import problems: see
//! `i18n/forms.rs`). Not translated: what people write (titles, cards, comments,
//! names) and the texts the server writes itself (its other error messages, version
//! summaries), which follow the `Accept-Language` the app sends.
//! The browser scenario `workshop.mjs` checks that no page in French shows a text of
//! the same page in English.

use std::cell::Cell;
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

    /// The same language as the shared crate names it (a new map's content).
    pub fn language(self) -> parcours_shared::Language {
        match self {
            Lang::En => parcours_shared::Language::En,
            Lang::Fr => parcours_shared::Language::Fr,
        }
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

mod catalogue;
pub mod forms;

pub use catalogue::{Texts, EN, ENTRIES, FR};

/// `text` with each `{name}` replaced by its value, in one pass over `text`: a value
/// (a person's name, a title) is never read for placeholders itself.
pub fn fill(text: &str, args: &[(&str, &dyn Display)]) -> String {
    parcours_shared::words::fill(text, |name| {
        args.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, value)| value.to_string())
    })
}

/// Where the person's choice is kept in this browser.
const LANG_KEY: &str = "parcours.lang";

thread_local! {
    /// The language shown, for [`t()`]: read anywhere (event handlers and plain
    /// functions run outside any reactive owner, where the context is out of reach).
    static SHOWN: Cell<Lang> = const { Cell::new(Lang::En) };
}

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
        SHOWN.set(lang);
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
        SHOWN.set(lang);
        self.lang.set(lang);
    }
}

/// The texts of the language shown (not tracked: the app renders again on a switch).
pub fn t() -> &'static Texts {
    SHOWN.get().texts()
}

/// The language shown (not tracked), for what words itself rather than reading a
/// text (dates, plurals).
pub fn lang() -> Lang {
    SHOWN.get()
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
    const SAME_IN_BOTH: &[&str] = &[
        "admin_badge",
        "personas",
        "add_persona",
        "persona_segment",
        "persona_word",
        "field_persona",
        "field_condition",
        "field_segment",
        "versions",
        "conversion",
        "segments",
        "public_badge",
        "inbox_mention",
        "inbox_invitation",
        "invitation_page_title",
        "event_column_segment",
        "json_kind_null",
        "timestamp_format_iso8601",
    ];

    /// Placeholders the French leaves out, with the entry: a third-party reader's
    /// English sentence, shown on English pages only.
    const LEFT_OUT_IN_FRENCH: &[(&str, &str)] = &[
        ("form_problem_header_unreadable", "error"),
        ("form_problem_row_unreadable", "error"),
        ("form_problem_not_a_map_file", "error"),
    ];

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
            let mut english = placeholders(en);
            english.retain(|name| !LEFT_OUT_IN_FRENCH.contains(&(*key, *name)));
            assert_eq!(english, placeholders(fr), "{key}: placeholders differ");
        }
        assert!(
            SAME_IN_BOTH.iter().all(|k| keys.contains(k)),
            "a stale allowance"
        );
        for (key, name) in LEFT_OUT_IN_FRENCH {
            let en = ENTRIES
                .iter()
                .find(|(k, ..)| k == key)
                .map(|(_, en, _)| *en);
            assert!(
                en.is_some_and(|en| placeholders(en).contains(name)),
                "a stale allowance: {key} {{{name}}}"
            );
        }
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
    fn values_are_not_read_for_placeholders() {
        assert_eq!(
            fill("{a} and {b}", &[("a", &"{b}"), ("b", &"x")]),
            "{b} and x"
        );
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
