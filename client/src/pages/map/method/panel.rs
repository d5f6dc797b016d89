//! The map head's Method button (with the progress as text) and the panel above the
//! board: each step with its question, its checks and, for a failing one, why and a
//! button to the place that fixes it.

use leptos::prelude::*;
use parcours_shared::method::{Check, MethodStep, StepReport};

use super::fix::{fixes, go_to};
use super::words::{check_detail, check_label, step_question, step_title};
use super::Method;
use crate::i18n::{fill, t};

/// "3 of 6 steps".
fn progress_text(done: usize) -> String {
    fill(
        t().steps_done,
        &[("done", &done), ("total", &MethodStep::ALL.len())],
    )
}

/// Opens and closes the panel; says how far the map has come.
#[component]
pub fn MethodToggle() -> impl IntoView {
    let Some(m) = Method::get() else {
        return ().into_any();
    };
    let done = Memo::new(move |_| m.report.with(|r| r.done().len()));
    view! {
        <button
            type="button"
            class="button-quiet method-toggle"
            data-testid="method-toggle"
            data-done=move || done.get().to_string()
            aria-expanded=move || m.open.get().to_string()
            aria-controls="method-panel"
            title=t().method_title
            on:click=move |_| m.open.update(|o| *o = !*o)
        >
            {t().method} " "
            <span class="method-toggle-progress">{move || progress_text(done.get())}</span>
        </button>
    }
    .into_any()
}

/// The panel, while the method is open.
#[component]
pub fn MethodPanel() -> impl IntoView {
    let Some(m) = Method::get() else {
        return ().into_any();
    };
    let done = Memo::new(move |_| m.report.with(|r| r.done().len()));
    let steps = move || {
        m.report
            .get()
            .steps
            .into_iter()
            .map(|step| view! { <Step step/> })
            .collect_view()
    };
    view! {
        <Show when=move || m.open.get()>
            <section class="method-panel" id="method-panel" data-testid="method-panel" aria-labelledby="method-title">
                <header class="method-head">
                    <h2 id="method-title">{t().the_method}</h2>
                    <span class="method-progress" data-testid="method-progress" data-done=move || done.get().to_string()>
                        <progress max=MethodStep::ALL.len() value=move || done.get() aria-hidden="true"></progress>
                        {move || progress_text(done.get())}
                    </span>
                    <button type="button" class="button-quiet button-small" data-testid="method-close"
                        on:click=move |_| m.open.set(false)>{t().close}</button>
                </header>
                <ol class="method-steps">{steps}</ol>
            </section>
        </Show>
    }
    .into_any()
}

/// One step: number, title, question, checks.
#[component]
fn Step(step: StepReport) -> impl IntoView {
    let done = step.done();
    let s = step.step;
    let checks = step
        .checks
        .into_iter()
        .map(|check| view! { <CheckRow check/> })
        .collect_view();
    view! {
        <li
            class="method-step"
            class:method-step-done=done
            data-testid="method-step"
            data-step=s.as_str()
            data-done=done.to_string()
        >
            <div class="method-step-head">
                <span class="method-step-mark" aria-hidden="true">
                    {if done { "✓".to_owned() } else { s.number().to_string() }}
                </span>
                <h3>{format!("{}. {}", s.number(), step_title(s))}</h3>
                <span class="visually-hidden">{if done { t().step_done } else { t().step_to_do }}</span>
            </div>
            <p class="method-question">{step_question(s)}</p>
            <ul class="method-checks">{checks}</ul>
        </li>
    }
}

/// One check: passed or not, why not, and the way to fix it.
#[component]
fn CheckRow(check: Check) -> impl IntoView {
    let m = Method::get();
    let label = check_label(&check);
    let detail = check_detail(&check);
    let fix = m.zip(check.fix.as_ref()).map(|(m, target)| {
        fixes(target, m.can_edit)
            .into_iter()
            .map(|fix| {
                let go = fix.go;
                let aria = format!("{}: {label}", fix.label);
                view! {
                    <button
                        type="button"
                        class="link-button method-fix"
                        data-testid="method-fix"
                        aria-label=aria
                        on:click=move |_| go_to(m, &go)
                    >
                        {fix.label}
                    </button>
                }
            })
            .collect_view()
    });
    view! {
        <li class="method-check" data-testid="method-check" data-check=check.id data-passed=check.passed.to_string()>
            <span class="method-check-mark" aria-hidden="true">{if check.passed { "✓" } else { "○" }}</span>
            <span class="method-check-label">
                {label}
                <span class="visually-hidden">{if check.passed { t().check_met } else { t().check_not_yet }}</span>
            </span>
            {detail.map(|d| view! { <span class="method-check-detail muted">{d}</span> })}

            {fix}
        </li>
    }
}
