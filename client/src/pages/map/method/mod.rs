//! The method: the six steps of building a journey map, each with its question and
//! checks computed live from the map (`parcours_shared::method::assess`), in a panel
//! above the board toggled from the map's head, which also shows the progress ("3 of
//! 6 steps"). Each failing check offers a button that scrolls to and focuses the place
//! to fix it.
//!
//! Validation (a review round closed, an event log imported) comes from what the page
//! already loaded: the rounds in [`Comments`] and the logs in [`Evidence`], both kept
//! fresh by the map's event stream. A visitor who has neither (a public link) sees
//! what the server said when the page loaded.
//!
//! - [`panel`]: the toggle and the panel.
//! - [`fix`]: going to the place that fixes a check.

mod fix;
mod panel;
mod words;

use leptos::prelude::*;
use parcours_shared::method::{assess, MethodReport, Validation};
use parcours_shared::view::MapView;

use crate::pages::map::comments::Comments;
use crate::pages::map::evidence::Evidence;

pub use self::panel::{MethodPanel, MethodToggle};

/// The method as the map page shows it (context of the map page).
#[derive(Clone, Copy)]
pub struct Method {
    /// The panel is shown.
    pub open: RwSignal<bool>,
    /// Every step and check, re-computed when the map, its rounds or its logs change.
    pub report: Memo<MethodReport>,
    /// The caller may edit the map (fix buttons name editing, else showing).
    pub can_edit: bool,
    /// The live map (which blank card or persona field to focus).
    pub view: Memo<MapView>,
}

impl Method {
    /// Creates the state and provides it as context. `validated_at_load` is the
    /// server's word at page load, used for what the page has not loaded itself.
    pub fn install(view: Memo<MapView>, can_edit: bool, validated_at_load: bool) -> Method {
        let comments = Comments::get();
        let evidence = Evidence::get();
        let validation = Memo::new(move |_| Validation {
            round_closed: comments
                .map(|c| c.rounds.with(|rs| rs.iter().any(|r| r.closed_at.is_some())))
                .unwrap_or(validated_at_load),
            evidence_attached: evidence
                .map(|e| e.datasets.with(|ds| ds.iter().any(|d| d.status == "ready")))
                .unwrap_or(validated_at_load),
        });
        let report = Memo::new(move |_| view.with(|v| assess(v, validation.get())));
        let method = Method {
            open: RwSignal::new(false),
            report,
            can_edit,
            view,
        };
        provide_context(method);
        method
    }

    /// The page's method, when installed.
    pub fn get() -> Option<Method> {
        use_context::<Method>()
    }
}
