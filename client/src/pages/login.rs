//! `/login`: sign in, or create an account. The app leaves this page by itself once
//! signed in (to the `next` path of the URL, see `auth::redirect`).

use leptos::prelude::*;
use parcours_shared::api::{Login, Session, SignUp};

use crate::api::{self, ApiError};
use crate::auth::Auth;
use crate::components::auth_forms::{LoginForm, SignUpForm};
use crate::i18n::t;

/// Which form the user submitted last: only its error is shown, so the page never shows
/// two.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LastForm {
    Login,
    SignUp,
}

/// The sign-in form next to the sign-up form.
#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = Auth::get();
    let login = Action::new_local(|request: &Login| api::account::login(request.clone()));
    let sign_up = Action::new_local(|request: &SignUp| api::account::sign_up(request.clone()));
    let last = RwSignal::new(LastForm::Login);

    let on_session = move |result: &Option<Result<Session, ApiError>>| {
        if let Some(Ok(session)) = result {
            auth.signed_in(session.user.clone());
        }
    };
    Effect::watch(
        move || login.value().get(),
        move |r, _, _| on_session(r),
        false,
    );
    Effect::watch(
        move || sign_up.value().get(),
        move |r, _, _| on_session(r),
        false,
    );

    let error_of = move |form: LastForm, value: Signal<Option<Result<Session, ApiError>>>| {
        Signal::derive(move || {
            (last.get() == form)
                .then(|| value.get().and_then(Result::err))
                .flatten()
        })
    };
    let login_error = error_of(LastForm::Login, login.value().into());
    let sign_up_error = error_of(LastForm::SignUp, sign_up.value().into());

    let t = t();
    document().set_title(t.login_page_title);
    view! {
        <section class="page" data-testid="login-page">
            <header class="page-head">
                <h1>{t.welcome}</h1>
                <p class="muted">{t.welcome_hint}</p>
            </header>
            <div class="auth-grid">
                <LoginForm
                    on_submit=Callback::new(move |request| {
                        last.set(LastForm::Login);
                        login.dispatch(request);
                    })
                    pending=login.pending()
                    error=login_error
                />
                <SignUpForm
                    on_submit=Callback::new(move |request| {
                        last.set(LastForm::SignUp);
                        sign_up.dispatch(request);
                    })
                    pending=sign_up.pending()
                    error=sign_up_error
                />
            </div>
        </section>
    }
}
