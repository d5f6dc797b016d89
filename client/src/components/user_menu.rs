//! The account corner of the top bar.

use leptos::prelude::*;
use parcours_shared::api::Me;

use crate::api::ApiError;
use crate::i18n::{t, LanguageSwitch};
use crate::router::Link;

/// Signed in: the display name (a link to the account page) and "Sign out". Signed out:
/// a "Sign in" link that comes back to the current page.
#[component]
pub fn UserMenu(
    /// The signed-in account, if any.
    #[prop(into)]
    me: Signal<Option<Me>>,
    /// True while the app is still asking who is signed in: nothing is shown yet.
    #[prop(into)]
    checking: Signal<bool>,
    /// Where "Sign in" leads; `None` on the sign-in page itself.
    #[prop(into)]
    sign_in_href: Signal<Option<String>>,
    /// Called when the user clicks "Sign out".
    on_sign_out: Callback<()>,
    /// True while signing out.
    #[prop(into)]
    pending: Signal<bool>,
    /// The last sign-out's error, if it failed.
    #[prop(into)]
    error: Signal<Option<ApiError>>,
) -> impl IntoView {
    let t = t();
    move || {
        if checking.get() {
            return ().into_any();
        }
        match me.get() {
            Some(me) => view! {
                <nav class="user-menu" data-testid="user-menu">
                    {move || error.get().map(|error| view! {
                        <span class="user-menu-error" role="alert" data-testid="signout-error">
                            {crate::components::error_notice::worded(&error)}
                        </span>
                    })}
                    <Link href="/account" class="user-name">
                        <span data-testid="user-name" title=me.email.clone()>{me.display_name}</span>
                    </Link>
                    {me.is_admin.then(|| view! { <span class="badge" title=t.admin_title>{t.admin_badge}</span> })}
                    <LanguageSwitch/>
                    <button
                        type="button"
                        class="button-quiet"
                        data-testid="signout"
                        disabled=move || pending.get()
                        on:click=move |_| on_sign_out.run(())
                    >
                        {t.sign_out}
                    </button>
                </nav>
            }
            .into_any(),
            None => view! {
                <nav class="user-menu">
                    {move || sign_in_href.get().map(|href| view! {
                        <Link href class="signin-link">
                            <span data-testid="signin-link">{t.sign_in}</span>
                        </Link>
                    })}
                    <LanguageSwitch/>
                </nav>
            }
            .into_any(),
        }
    }
}
