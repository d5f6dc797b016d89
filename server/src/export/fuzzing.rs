//! What an uploaded map file reaches, without HTTP or storage: the entry point of the
//! `import` fuzz target (`fuzz/`) and of the stable test that replays its corpus
//! (`tests/fuzz_corpus.rs`). Not an API.

use parcours_shared::exchange::{self, MAX_PROBLEMS, MAX_VALUE_CHARS};
use parcours_shared::view::read_view;
use parcours_shared::MapDoc;

use super::{read_upload, ImportFormat};

/// Reads `data` as an upload — its first byte picks the format (even: JSON, odd: a CSV
/// card table), the rest is the file — as the import endpoint does, then checks what
/// must hold whatever was sent: a refusal lists 1 to [`MAX_PROBLEMS`] (+1 for the
/// count of the rest) problems, each with a code, a place and a bounded message; an
/// accepted file writes into a new document whose view holds what the counts said.
pub fn import(data: &[u8]) {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let format = if pick % 2 == 0 {
        ImportFormat::Json
    } else {
        ImportFormat::Csv
    };
    match read_upload(format, file, (None, "Untitled"), 0) {
        Err(problems) => {
            assert!(
                (1..=MAX_PROBLEMS + 1).contains(&problems.len()),
                "{} problems",
                problems.len()
            );
            for p in &problems {
                assert!(!p.code.is_empty() && !p.at.is_empty(), "{p:?}");
                assert!(
                    p.values
                        .values()
                        .all(|v| v.chars().count() <= MAX_VALUE_CHARS),
                    "{p:?}"
                );
                assert!(p.message.chars().count() <= 8 * MAX_VALUE_CHARS, "{p:?}");
            }
        }
        Ok((file, counts)) => {
            let doc = MapDoc::new(yrs::Doc::new());
            let mut n = 0u64;
            let mut ids = || {
                n += 1;
                format!("id{n}")
            };
            let title = file.map.meta.title.trim().to_owned();
            doc.edit(|txn| exchange::write(&file.map, &title, txn, &mut ids))
                .expect("a checked file writes");
            let view = read_view(doc.doc());
            assert_eq!(view.stages.len(), counts.stages);
            assert_eq!(view.lanes.len(), counts.lanes);
            assert_eq!(view.personas.len(), counts.personas);
            assert_eq!(view.paths.len(), counts.paths);
            assert_eq!(
                view.cards.len() + counts.orphans_skipped,
                file.map.cards.len(),
                "every card written or counted as skipped"
            );
            assert_eq!(view.cards.len(), counts.cards);
        }
    }
}
