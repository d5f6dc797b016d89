//! The browser WebSocket under a live map: binary frames in and out, and the three
//! events the live map reacts to. Holds its JS callbacks for as long as it lives.

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

/// What the socket tells its owner.
pub trait SocketEvents: Clone + 'static {
    /// The connection is open.
    fn opened(&self);
    /// One binary frame arrived.
    fn frame(&self, data: Vec<u8>);
    /// The connection closed (code 1006 when it merely dropped).
    fn closed(&self, code: u16, reason: String);
}

/// One open (or opening) WebSocket with its handlers.
pub struct Socket {
    /// The browser socket.
    ws: WebSocket,
    /// Kept alive as long as the socket can call them.
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    /// Starts connecting to `url`, reporting to `events`.
    pub fn open(url: &str, events: impl SocketEvents) -> Result<Socket, String> {
        let ws = WebSocket::new(url).map_err(|e| format!("{e:?}"))?;
        ws.set_binary_type(BinaryType::Arraybuffer);
        let on_open = {
            let events = events.clone();
            Closure::<dyn FnMut()>::new(move || events.opened())
        };
        let on_message = {
            let events = events.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                if let Ok(buffer) = event.data().dyn_into::<ArrayBuffer>() {
                    events.frame(Uint8Array::new(&buffer).to_vec());
                }
            })
        };
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
            events.closed(event.code(), event.reason())
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        })
    }

    /// True while frames can be sent.
    pub fn is_open(&self) -> bool {
        self.ws.ready_state() == WebSocket::OPEN
    }

    /// Sends one binary frame; false when the socket is not open.
    pub fn send(&self, data: &[u8]) -> bool {
        self.is_open() && self.ws.send_with_u8_array(data).is_ok()
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        // Detach first: the closures are freed with `self`, and a late event must not
        // call into freed memory.
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}
