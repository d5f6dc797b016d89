//! `/join/{token}`: accepts a share link for the signed-in account, then opens its map.
//! (The app sends a signed-out visitor to sign in first and back here afterwards.)

use leptos::prelude::*;

use crate::api;
use crate::components::error_notice::ApiErrorNotice;
use crate::i18n::t;
use crate::router::{Link, Route, Router};

/// The error code of a public link, which cannot be joined.
const PUBLIC_LINK: &str = "public_link";

/// Accepts the link once; on success replaces this page with the map's.
#[component]
pub fn JoinPage(
    /// The link's secret token, from the URL.
    token: String,
) -> impl IntoView {
    let router = Router::get();
    let accepted = LocalResource::new(move || api::sharing::accept_link(token.clone()));
    Effect::new(move || {
        if let Some(Ok(accepted)) = accepted.get() {
            router.replace(&Route::map(accepted.map_id).path());
        }
    });
    document().set_title(t().join_page_title);
    view! {
        <section class="page" data-testid="join-page">
            {move || match accepted.get() {
                None | Some(Ok(_)) => view! { <p class="muted">{t().opening_shared_map}</p> }.into_any(),
                Some(Err(error)) => {
                    // A public link opens the map read-only; it never makes a member.
                    let hint = if error.code() == Some(PUBLIC_LINK) {
                        t().public_link_cannot_join
                    } else {
                        t().link_revoked_or_expired
                    };
                    view! {
                        <h1>{t().link_does_not_work}</h1>
                        <ApiErrorNotice error testid="join-error"/>
                        <p class="muted">{hint}</p>
                        <p><Link href="/">{t().back_to_your_maps}</Link></p>

                    }
                    .into_any()
                }
            }}
        </section>
    }
}
