//! Following another person's view, live, through presence (y-protocols awareness):
//! each tab publishes where it is on the map (the stage at the board's left edge, the
//! board's and the page's scroll, the presentation step) a few times a second at most
//! and only when it moved and someone else is there; a follower's page copies its
//! leader's. Clicking a person's avatar follows them; a presenter can ask everyone to
//! follow (those not following anyone start following them, once per request, late
//! joiners included). Following stops as soon as the follower acts on their own (wheel,
//! pointer, touch or key), or when the leader leaves.
//!
//! A follower publishes only that it follows someone, not the scrolling it copies, so
//! followers add no presence traffic of their own however many there are.

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::present::Presentation;
use crate::i18n::t;
use crate::live::presence::{Peer, ViewState};
use crate::live::LiveMap;

/// How often this tab's own view is read and, when it moved, published.
const PUBLISH_EVERY: Duration = Duration::from_millis(200);

/// Following state, shared through context.
#[derive(Clone, Copy)]
pub struct Follow {
    live: LiveMap,
    presentation: Presentation,
    /// The Yjs client followed, if any.
    pub following: RwSignal<Option<u64>>,
    /// This tab asked everyone to follow it, at this moment (ms since the epoch).
    pub leading: RwSignal<Option<f64>>,
    /// This person may ask everyone to follow them (editors and owners: others would
    /// not honour it).
    pub can_lead: bool,
    /// Why following stopped, when the leader left.
    pub notice: RwSignal<Option<String>>,
    /// The presentation was opened by following: it closes with the leader's.
    presenting_for_leader: StoredValue<bool>,
    /// Requests to follow seen, per client: (client, request, when last answered).
    leads_seen: StoredValue<Vec<(u64, f64, f64)>>,
}

impl Follow {
    /// Creates the state, provides it as context, starts publishing this tab's view and
    /// listens for the follower's own actions.
    pub fn install(live: LiveMap, presentation: Presentation, can_edit: bool) -> Follow {
        let f = Follow {
            live,
            presentation,
            can_lead: can_edit,
            following: RwSignal::new(None),
            leading: RwSignal::new(None),
            notice: RwSignal::new(None),
            presenting_for_leader: StoredValue::new(false),
            leads_seen: StoredValue::new(Vec::new()),
        };
        provide_context(f);
        if let Ok(timer) = set_interval_with_handle(move || f.publish(), PUBLISH_EVERY) {
            on_cleanup(move || timer.clear());
        }
        // The step is published at once (the scroll waits for the next tick).
        Effect::new(move |_| {
            presentation.step.track();
            f.publish();
        });
        // Acting on one's own stops following.
        let stop = move || {
            if f.following.get_untracked().is_some() {
                f.unfollow();
            }
        };
        let wheel = window_event_listener(leptos::ev::wheel, move |_| stop());
        let pointer = window_event_listener(leptos::ev::pointerdown, move |_| stop());
        let touch = window_event_listener(leptos::ev::touchstart, move |_| stop());
        let key = window_event_listener(leptos::ev::keydown, move |_| stop());
        on_cleanup(move || {
            wheel.remove();
            pointer.remove();
            touch.remove();
            key.remove();
        });
        // Copy the leader's view whenever it (or anyone's presence) changes.
        Effect::new(move |_| {
            let Some(leader) = f.following.get() else {
                return;
            };
            let peers = live.peers();
            match peers.iter().find(|p| p.client_id == leader && !p.is_self) {
                Some(peer) => f.apply(peer.state.view.clone().unwrap_or_default()),
                None => {
                    f.notice.set(Some(t().leader_left.into()));
                    f.unfollow();
                }
            }
        });
        // Answer requests to follow: once each, unless already following or leading.
        Effect::new(move |_| {
            let peers = live.peers();
            for peer in peers.iter().filter(|p| !p.is_self) {
                let Some(lead) = lead_of(peer) else {
                    continue;
                };
                let now = js_sys::Date::now();
                let new = f
                    .leads_seen
                    .try_update_value(|seen| answer_lead(seen, peer.client_id, lead, now));
                let free =
                    f.following.get_untracked().is_none() && f.leading.get_untracked().is_none();
                if new == Some(true) && free {
                    f.follow(peer.client_id);
                }
            }
        });
        f
    }

    /// The state provided by [`Follow::install`], if any.
    pub fn get() -> Option<Follow> {
        use_context::<Follow>()
    }

    /// Starts following `client` (not this tab).
    pub fn follow(self, client: u64) {
        if client == self.live.client_id() {
            return;
        }
        self.notice.set(None);
        self.leading.set(None);
        self.following.set(Some(client));
        self.publish();
    }

    /// Stops following; a presentation opened by following closes.
    pub fn unfollow(self) {
        self.following.set(None);
        if self.presenting_for_leader.get_value() {
            self.presenting_for_leader.set_value(false);
            self.presentation.step.set(None);
        }
        self.publish();
    }

    /// Asks everyone to follow this tab, or stops asking.
    pub fn set_leading(self, on: bool) {
        if on {
            self.following.set(None);
            self.leading.set(Some(js_sys::Date::now()));
        } else {
            self.leading.set(None);
        }
        self.publish();
    }

    /// The followed person, as the presence list has them (tracked).
    pub fn leader(self) -> Option<Peer> {
        let id = self.following.get()?;
        self.live.peers().into_iter().find(|p| p.client_id == id)
    }

    /// Publishes this tab's view when it changed and someone else is on the map. Runs
    /// every tick: alone it reads nothing, and the stage in focus (a pass over the
    /// columns' boxes) is looked up only when the board scrolled sideways.
    fn publish(self) {
        // Nobody to follow this tab: keep the last published view (a newcomer gets the
        // next one within a tick).
        if self.live.peer_count_untracked() <= 1 && self.leading.get_untracked().is_none() {
            return;
        }
        let last = self.live.own_view_untracked().unwrap_or_default();
        let view = match self.following.get_untracked() {
            Some(leader) => ViewState {
                following: Some(leader),
                ..ViewState::default()
            },
            None => {
                let (x, y) = board()
                    .map(|b| (f64::from(b.scroll_left()), f64::from(b.scroll_top())))
                    .unwrap_or_default();
                let page = window().scroll_y().unwrap_or_default().round();
                let stage = if x == last.x && last.stage.is_some() {
                    last.stage
                } else {
                    stage_in_focus()
                };
                ViewState {
                    stage,
                    x,
                    y,
                    page,
                    step: self.presentation.step.get_untracked(),
                    lead: self.leading.get_untracked(),
                    following: None,
                }
            }
        };
        self.live.publish_view(Some(view));
    }

    /// Shows the leader's `view`: presentation step, then the board's and page's scroll.
    fn apply(self, view: ViewState) {
        match view.step {
            Some(step) => {
                self.presenting_for_leader.set_value(
                    self.presentation.step.get_untracked().is_none()
                        || self.presenting_for_leader.get_value(),
                );
                self.presentation.show(step);
            }
            None if self.presenting_for_leader.get_value() => {
                self.presenting_for_leader.set_value(false);
                self.presentation.step.set(None);
            }
            None => {}
        }
        if let Some(b) = board() {
            b.set_scroll_left(view.x as i32);
            b.set_scroll_top(view.y as i32);
        }
        window().scroll_to_with_x_and_y(0.0, view.page);
    }
}

/// The request to follow `peer`, if it made one and may: only people who edit the map
/// (as the server stamps them) can ask everyone to follow, so a viewer or a public-link
/// visitor cannot take over everyone's screen.
pub fn lead_of(peer: &Peer) -> Option<f64> {
    if !peer.state.user.editor {
        return None;
    }
    peer.state.view.as_ref().and_then(|v| v.lead)
}

/// How soon (ms) after answering one person's request to follow a new one of theirs is
/// answered again: someone who stopped following is not pulled back by a presenter
/// clicking the button over and over.
const LEAD_AGAIN_MS: f64 = 60_000.0;

/// Whether to answer `client`'s request `lead` seen at `now` (ms): each request once,
/// and a new one from the same person only [`LEAD_AGAIN_MS`] after the last answered.
fn answer_lead(seen: &mut Vec<(u64, f64, f64)>, client: u64, lead: f64, now: f64) -> bool {
    match seen.iter_mut().find(|(id, _, _)| *id == client) {
        Some((_, request, _)) if *request == lead => false,
        Some((_, request, answered)) => {
            *request = lead;
            if now - *answered >= LEAD_AGAIN_MS {
                *answered = now;
                true
            } else {
                false
            }
        }
        None => {
            seen.push((client, lead, now));
            true
        }
    }
}

/// The stage whose column is the first in view at the board's left edge (past the
/// lane heads), read from the page as it is laid out.
fn stage_in_focus() -> Option<String> {
    let board = board()?;
    let left = board.get_bounding_client_rect().left();
    let heads = board
        .query_selector(".lane-head.corner")
        .ok()
        .flatten()
        .map_or(0.0, |corner| corner.get_bounding_client_rect().width());
    let columns = board.query_selector_all("[data-testid=stage-col]").ok()?;
    (0..columns.length())
        .filter_map(|i| columns.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
        .find(|col| col.get_bounding_client_rect().right() > left + heads + 20.0)
        .and_then(|col| col.get_attribute("data-stage-id"))
}

/// The live board's scrolling box.
fn board() -> Option<web_sys::Element> {
    document()
        .query_selector("[data-testid=board]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
}

/// The toolbar's follow controls: "Following Ana · at Onboarding · Stop", and "Ask
/// everyone to follow me" / "Stop asking".
#[component]
pub fn FollowBar() -> impl IntoView {
    let Some(f) = Follow::get() else {
        return ().into_any();
    };
    let others = Memo::new(move |_| f.live.peers().iter().filter(|p| !p.is_self).count());
    let following = move || {
        f.leader().map(|leader| {
            let at = leader
                .state
                .view
                .as_ref()
                .and_then(|v| v.stage.clone())
                .and_then(|id| f.presentation.stage_name(&id));
            view! {
                <span class="following" data-testid="following" role="status"
                    style=format!("border-color: {}", leader.color())>
                    {t().following} <strong>{leader.state.user.name.clone()}</strong>
                    {at.map(|name| view! { <span class="muted">{t().following_at} {name}</span> })}
                    " "
                    <button type="button" class="button-quiet button-small"
                        data-testid="following-stop" on:click=move |_| f.unfollow()>{t().stop}</button>
                </span>
            }
        })
    };
    view! {
        {following}
        {move || f.notice.get().map(|n| view! {
            <span class="muted" role="status" data-testid="following-notice">{n}</span>
        })}
        {move || (f.can_lead && (others.get() > 0 || f.leading.get().is_some())).then(|| view! {
            <button
                type="button"
                class="button-quiet button-small"
                data-testid="lead-toggle"
                aria-pressed=move || f.leading.get().is_some().to_string()
                title=t().ask_follow_title
                on:click=move |_| f.set_leading(f.leading.get_untracked().is_none())
            >
                {move || if f.leading.get().is_some() { t().stop_asking } else { t().ask_follow }}
            </button>
        })}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::presence::{PresenceState, PresenceUser};

    fn peer(editor: bool, lead: Option<f64>) -> Peer {
        Peer {
            client_id: 7,
            is_self: false,
            state: PresenceState {
                user: PresenceUser {
                    name: "Ana".into(),
                    color: "#d92d20".into(),
                    editor,
                },
                selected: None,
                view: Some(ViewState {
                    lead,
                    ..ViewState::default()
                }),
            },
        }
    }

    #[test]
    fn each_request_is_answered_once_and_a_repeated_one_not_within_a_minute() {
        let mut seen = Vec::new();
        assert!(answer_lead(&mut seen, 1, 10.0, 1_000.0));
        assert!(
            !answer_lead(&mut seen, 1, 10.0, 2_000.0),
            "the same request"
        );
        assert!(answer_lead(&mut seen, 2, 10.0, 2_000.0), "someone else's");
        assert!(
            !answer_lead(&mut seen, 1, 20.0, 30_000.0),
            "a new one too soon"
        );
        assert!(
            answer_lead(&mut seen, 1, 30.0, 62_000.0),
            "a new one a minute on"
        );
    }

    #[test]
    fn only_people_who_edit_can_ask_everyone_to_follow() {
        assert_eq!(lead_of(&peer(true, Some(5.0))), Some(5.0));
        assert_eq!(lead_of(&peer(true, None)), None);
        // A viewer's (or public-link visitor's) request is ignored.
        assert_eq!(lead_of(&peer(false, Some(5.0))), None);
    }
}
