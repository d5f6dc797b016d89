//! The languages a new map's starting content can be written in.

use serde::{Deserialize, Serialize};

/// English or French: the language of a template's content and of the default lanes'
/// names when a map is made (the web app sends the language its person reads). What a
/// team then writes is theirs, in any language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    En,
    Fr,
}

impl Language {
    /// Both, English first.
    pub const ALL: [Language; 2] = [Language::En, Language::Fr];

    /// The BCP 47 code: `en` or `fr`.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fr => "fr",
        }
    }
}
