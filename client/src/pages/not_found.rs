//! What any unknown path shows.

use leptos::prelude::*;

use crate::router::Link;

/// "Nothing here", with a way back home.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="page" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p class="muted">"There is nothing at this address."</p>
            <p>
                <Link href="/">"Back to all maps"</Link>
            </p>
        </section>
    }
}
