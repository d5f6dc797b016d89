//! What any unknown path shows.

use leptos::prelude::*;

use crate::i18n::t;
use crate::router::Link;

/// "Nothing here", with a way back home.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="page" data-testid="not-found">
            <h1>{t().page_not_found}</h1>
            <p class="muted">{t().nothing_at_address}</p>
            <p>
                <Link href="/">{t().back_to_all_maps}</Link>

            </p>
        </section>
    }
}
