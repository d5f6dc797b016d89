//! A sync client's local document: read as the JSON view, edited through the schema.

use parcours_bench::YClient;
use parcours_shared::schema::{MapDoc, MapTxn};
use parcours_shared::view::{read_view, MapView};

/// The JSON view of a client's local document.
pub fn client_view(client: &YClient) -> MapView {
    read_view(client.doc())
}

/// Edits a client's document through the typed map schema.
pub fn edit<R>(client: &YClient, f: impl FnOnce(&mut MapTxn<'_, '_>) -> R) -> R {
    MapDoc::new(client.doc().clone()).edit(f)
}
