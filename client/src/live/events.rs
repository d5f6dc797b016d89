//! Server-Sent Events (`EventSource`, with the session cookie): the map's thread and
//! round events, and the inbox. [`follow`] keeps one stream open for as long as the
//! reactive owner that called it lives, and opens it again when the server ends it.

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventSource, MessageEvent};

/// How long to wait before opening a stream the server ended.
const RECONNECT: Duration = Duration::from_secs(3);

/// One open (or opening) `EventSource` with its handlers.
struct Stream {
    source: EventSource,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.source.set_onopen(None);
        self.source.set_onmessage(None);
        self.source.set_onerror(None);
        self.source.close();
    }
}

/// What a followed stream reports.
#[derive(Clone)]
struct Handlers {
    url: Rc<str>,
    /// The stream is (again) open: whatever was missed must be reloaded over REST.
    opened: Rc<dyn Fn()>,
    /// One `data:` payload.
    data: Rc<dyn Fn(String)>,
}

/// Follows the event stream at `url` while the current reactive owner lives: `opened`
/// runs each time the stream opens (the first time and after every reconnection), `data`
/// for each message.
pub fn follow(url: String, opened: impl Fn() + 'static, data: impl Fn(String) + 'static) {
    let slot: StoredValue<Option<Stream>, LocalStorage> = StoredValue::new_local(None);
    let handlers = Handlers {
        url: url.into(),
        opened: Rc::new(opened),
        data: Rc::new(data),
    };
    connect(slot, handlers);
    on_cleanup(move || {
        // Dropping the stream closes it; a pending reconnection finds the slot gone.
        slot.try_update_value(|s| s.take());
        slot.dispose();
    });
}

fn connect(slot: StoredValue<Option<Stream>, LocalStorage>, handlers: Handlers) {
    if slot.is_disposed() {
        return;
    }
    let Ok(source) = EventSource::new(&handlers.url) else {
        retry(slot, handlers);
        return;
    };
    let on_open = {
        let opened = handlers.opened.clone();
        Closure::<dyn FnMut(Event)>::new(move |_: Event| opened())
    };
    let on_message = {
        let data = handlers.data.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(text) = event.data().as_string() {
                data(text);
            }
        })
    };
    let on_error = {
        let handlers = handlers.clone();
        let source = source.clone();
        Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            // While CONNECTING the browser retries by itself; CLOSED means it gave up.
            if source.ready_state() == EventSource::CLOSED {
                retry(slot, handlers.clone());
            }
        })
    };
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let stream = Stream {
        source,
        _on_open: on_open,
        _on_message: on_message,
        _on_error: on_error,
    };
    // Replacing an older stream drops (closes) it.
    slot.try_update_value(move |s| *s = Some(stream));
}

fn retry(slot: StoredValue<Option<Stream>, LocalStorage>, handlers: Handlers) {
    set_timeout(move || connect(slot, handlers), RECONNECT);
}
