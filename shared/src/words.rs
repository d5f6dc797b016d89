//! Sentences the server writes from a fixed form and values (inbox items, import
//! problems, skipped event-log rows): the English form lives here, once, and the server
//! sends the values next to the English sentence so the web app words the same form in
//! the language it shows (its catalogue holds the French, and a test of the web app
//! checks its English copy of each form against the one here).
//!
//! Values are data only: [`fill`] reads placeholders in the form, never in a value, so a
//! name or a title holding `{quote}` is shown as written.

use std::collections::BTreeMap;
use std::fmt::Display;

use serde::{Deserialize, Serialize};

/// The values of a form, by placeholder name.
pub type Values = BTreeMap<String, String>;

/// A sentence as its form's code and the values that fill it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Worded {
    /// Which form (a stable code, e.g. `mention`).
    pub form: String,
    /// Its `{placeholders}` by name.
    #[serde(default)]
    pub values: Values,
}

impl Worded {
    /// `form` with `values`.
    pub fn new(form: &str, values: &[(&str, &dyn Display)]) -> Worded {
        Worded {
            form: form.to_owned(),
            values: values_of(values),
        }
    }

    /// The value named `name`, or an empty text.
    pub fn value(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }
}

/// A value list as [`Values`].
pub fn values_of(values: &[(&str, &dyn Display)]) -> Values {
    values
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.to_string()))
        .collect()
}

/// The form of `code` in a `(code, form)` table.
pub fn form_of<'a>(forms: &[(&str, &'a str)], code: &str) -> Option<&'a str> {
    forms.iter().find(|(c, _)| *c == code).map(|(_, f)| *f)
}

/// `form` with each `{name}` replaced by `value(name)`, in one pass over the form: what
/// a value holds is never read again. A placeholder `value` has nothing for stays as
/// written.
pub fn fill(form: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(form.len() + 32);
    let mut rest = form;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(['}', '{']) {
            Some(close) if after.as_bytes()[close] == b'}' => {
                let name = &after[..close];
                match value(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The values that make `text` from `form`, if it is one: the reverse of [`fill`] for
/// forms whose placeholders are each followed by text that does not occur in the
/// values (`row {row}, column {column}`). A placeholder takes at least one character.
pub fn unfill(form: &str, text: &str) -> Option<Values> {
    // The form as literal pieces and placeholder names, in turn.
    let mut pieces: Vec<(bool, &str)> = Vec::new();
    let mut rest = form;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}')? + open;
        pieces.push((false, &rest[..open]));
        pieces.push((true, &rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    pieces.push((false, rest));
    let mut values = Values::new();
    let mut at = text;
    let mut i = 0;
    while i < pieces.len() {
        let (name, piece) = pieces[i];
        if !name {
            at = at.strip_prefix(piece)?;
            i += 1;
            continue;
        }
        let next = pieces.get(i + 1).map_or("", |p| p.1);
        let end = if next.is_empty() {
            at.len()
        } else {
            at.find(next)?
        };
        if end == 0 {
            return None;
        }
        values.insert(piece.to_owned(), at[..end].to_owned());
        at = &at[end..];
        i += 1;
    }
    at.is_empty().then_some(values)
}

/// [`fill`] from a [`Values`] map.
pub fn fill_values(form: &str, values: &Values) -> String {
    fill(form, |name| values.get(name).cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_once_and_values_are_never_forms() {
        let values = values_of(&[("author", &"{quote}"), ("quote", &"hello")]);
        assert_eq!(
            fill_values("{author} said: {quote}", &values),
            "{quote} said: hello"
        );
    }

    #[test]
    fn unknown_placeholders_and_stray_braces_stay() {
        let values = values_of(&[("n", &3)]);
        assert_eq!(fill_values("{n} {m} { x}", &values), "3 {m} { x}");
        assert_eq!(fill_values("a { b {n}", &values), "a { b 3");
        assert_eq!(fill_values("end {", &values), "end {");
    }

    #[test]
    fn unfill_reads_the_values_back() {
        let form = "row {row}, column {column}";
        let values = unfill(form, "row 12, column channel").expect("it is the form");
        assert_eq!(fill_values(form, &values), "row 12, column channel");
        assert_eq!(values.get("row").map(String::as_str), Some("12"));
        assert_eq!(unfill(form, "row 12"), None);
        assert!(unfill("row {row}", "row 12, column x").is_some());
        assert_eq!(unfill("file", "file"), Some(Values::new()));
        assert_eq!(unfill("file", "files"), None);
        assert_eq!(unfill("row {row}", "row "), None);
    }

    #[test]
    fn a_worded_sentence_reads_its_values() {
        let w = Worded::new("due", &[("hours", &5), ("map", &"Onboarding")]);
        assert_eq!(w.value("hours"), "5");
        assert_eq!(w.value("missing"), "");
        let json = serde_json::to_string(&w).expect("json");
        assert_eq!(
            json,
            r#"{"form":"due","values":{"hours":"5","map":"Onboarding"}}"#
        );
    }
}
