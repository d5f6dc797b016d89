//! `/account`: the signed-in account, whether its address is verified, and its password.

use leptos::prelude::*;
use parcours_shared::api::ChangePassword;

use crate::api;
use crate::auth::Auth;
use crate::components::email_verification::EmailVerification;
use crate::components::password_form::ChangePasswordForm;
use crate::i18n::t;

/// Who is signed in, the address's verification, and the change-password form.
#[component]
pub fn AccountPage() -> impl IntoView {
    let auth = Auth::get();
    let change = Action::new_local(|request: &ChangePassword| {
        api::account::change_password(request.clone())
    });
    let changes_done = RwSignal::new(0_usize);
    Effect::watch(
        move || change.value().get(),
        move |result, _, _| {
            if let Some(Ok(session)) = result {
                // A fresh session came with the answer (its cookie replaced the old one).
                auth.signed_in(session.user.clone());
                changes_done.update(|n| *n += 1);
            }
        },
        false,
    );
    let error = Signal::derive(move || change.value().get().and_then(Result::err));
    let changed = Signal::derive(move || matches!(change.value().get(), Some(Ok(_))));
    let verify = Action::new_local(|(): &()| api::account::request_verification());

    document().set_title(t().account_page_title);
    view! {
        <section class="page" data-testid="account-page">
            <header class="page-head">
                <h1>{t().your_account}</h1>
                {move || auth.me().map(|me| view! {
                    <p class="muted">
                        <span data-testid="account-name">{me.display_name}</span>
                        " · "
                        <span data-testid="account-email">{me.email}</span>
                        {me.is_admin.then_some(t().instance_admin_suffix)}
                    </p>
                })}
            </header>
            <div class="narrow">
                <EmailVerification
                    email=Signal::derive(move || auth.me().map(|me| me.email).unwrap_or_default())
                    verified=Signal::derive(move || auth.me().is_some_and(|me| me.email_verified))
                    on_send=Callback::new(move |()| {
                        verify.dispatch(());
                    })
                    pending=verify.pending()
                    error=Signal::derive(move || verify.value().get().and_then(Result::err))
                    sent=Signal::derive(move || matches!(verify.value().get(), Some(Ok(()))))
                />
                <ChangePasswordForm
                    on_submit=Callback::new(move |request| {
                        change.dispatch(request);
                    })
                    pending=change.pending()
                    error
                    done=changes_done
                />
                {move || changed.get().then(|| view! {
                    <p class="notice notice-ok" role="status" data-testid="account-success">
                        {t().password_changed}

                    </p>
                })}
            </div>
        </section>
    }
}
