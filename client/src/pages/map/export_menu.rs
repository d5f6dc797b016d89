//! The map's "Export" menu: download links for every format, of the live map or of
//! the past version being viewed.

use leptos::prelude::*;
use parcours_shared::MapId;

use super::history::{Past, PastSource};
use crate::api::exchange::export_url;
use crate::i18n::{t, Texts};

/// One format offered: `format`, its other query pairs, its label (in the language
/// shown).
type Choice = (
    &'static str,
    &'static [(&'static str, &'static str)],
    fn(&'static Texts) -> &'static str,
);

/// The formats offered, with their query and label.
const CHOICES: [Choice; 8] = [
    ("pdf", &[("paper", "poster")], |t| t.export_pdf_poster),
    ("pdf", &[("paper", "a4")], |t| t.export_pdf_a4),
    ("pdf", &[("paper", "a3")], |t| t.export_pdf_a3),
    ("png", &[("scale", "1")], |t| t.export_png),
    ("png", &[("scale", "2")], |t| t.export_png_2x),
    ("svg", &[], |t| t.export_svg),
    ("csv", &[], |t| t.export_csv),
    ("json", &[], |t| t.export_json),
];

/// A menu of download links; `past` (when a past version or moment is shown) makes
/// them download that state instead of the live map.
#[component]
pub fn ExportMenu(
    map: MapId,
    /// A public link's token, for visitors without an account.
    link: Option<String>,
    /// The past shown in place of the live board, if any.
    #[prop(into)]
    past: Signal<Option<Past>>,
) -> impl IntoView {
    let items = move || {
        let when: Vec<(&str, String)> = match past.get().map(|p| p.source) {
            Some(PastSource::Version(id)) => vec![("version", id)],
            Some(PastSource::Moment(at)) => vec![("at", at.to_string())],
            None => Vec::new(),
        };
        CHOICES
            .iter()
            .map(|(format, extra, label)| {
                let mut query: Vec<(&str, String)> =
                    extra.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
                query.extend(when.iter().cloned());
                let href = export_url(&map, format, &query, link.as_deref());
                let testid = format!(
                    "export-{format}{}",
                    extra
                        .first()
                        .map(|(_, v)| format!("-{v}"))
                        .unwrap_or_default()
                );
                view! {
                    <li>
                        <a href=href download="" data-testid=testid data-format=*format>
                            {label(t())}
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <details class="menu export-menu" data-testid="export-menu">
            <summary class="button">
                {move || if past.with(Option::is_some) { t().export_this_version } else { t().export }}

            </summary>
            <ul class="menu-items">{items}</ul>
        </details>
    }
}
