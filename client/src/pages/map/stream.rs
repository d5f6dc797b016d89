//! The map's one event stream ([`MapStream`]): threads, rounds and evidence events
//! arrive on a single `EventSource`, handed to each part of the page that listens. One
//! stream per page, not one per part: a browser holds at most six connections to a
//! server over HTTP/1.1, across all its tabs, and every open stream keeps one.

use std::rc::Rc;

use leptos::prelude::*;
use parcours_shared::api::MapEvent;

use crate::live::events;

/// Something on the page that follows the map's events.
#[derive(Clone)]
struct Listener {
    /// The stream is (again) open: whatever was missed must be reloaded over REST.
    opened: Rc<dyn Fn()>,
    /// One event of the map.
    event: Rc<dyn Fn(&MapEvent)>,
}

/// The map's event stream, shared by the parts of the page (context of the map page).
#[derive(Clone, Copy)]
pub struct MapStream {
    listeners: StoredValue<Vec<Listener>, LocalStorage>,
}

impl MapStream {
    /// Opens the stream at `url` for as long as the current reactive owner lives and
    /// provides it as context.
    pub fn open(url: String) -> MapStream {
        let stream = MapStream {
            listeners: StoredValue::new_local(Vec::new()),
        };
        events::follow(
            url,
            move || {
                for listener in stream.snapshot() {
                    (listener.opened)();
                }
            },
            move |data| {
                let Ok(event) = serde_json::from_str::<MapEvent>(&data) else {
                    return;
                };
                for listener in stream.snapshot() {
                    (listener.event)(&event);
                }
            },
        );
        provide_context(stream);
        stream
    }

    /// The stream provided by [`MapStream::open`], if any.
    pub fn get() -> Option<MapStream> {
        use_context::<MapStream>()
    }

    /// Calls `opened` each time the stream opens (the first time and after every
    /// reconnection) and `event` for each event, for as long as the page lives.
    pub fn listen(self, opened: impl Fn() + 'static, event: impl Fn(&MapEvent) + 'static) {
        self.listeners.try_update_value(|ls| {
            ls.push(Listener {
                opened: Rc::new(opened),
                event: Rc::new(event),
            })
        });
    }

    /// The listeners now (cloned out, so a listener may add another while it runs).
    fn snapshot(self) -> Vec<Listener> {
        self.listeners.try_get_value().unwrap_or_default()
    }
}
