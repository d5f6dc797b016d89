//! The two fonts every export draws with, shipped in the repository
//! (`server/assets/fonts`, DejaVu Sans regular and bold, Bitstream Vera licence) and
//! loaded explicitly: no system font is read, so an export looks the same on every
//! machine. Text is measured with the same fonts' metrics to wrap it.

use std::sync::{Arc, OnceLock};

use resvg::usvg::{self, fontdb};

/// DejaVu Sans.
pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// The family name both files carry; the SVG asks for it by name.
pub const FAMILY: &str = "DejaVu Sans";

/// Advance widths of one font, in em, for the characters measured so far.
pub struct Metrics {
    /// Advance of U+0000..U+0800 (Latin, Greek, Cyrillic…), in em; 0 = no glyph.
    table: Vec<f32>,
    /// Advance of a character the font lacks (drawn by another font, guessed).
    fallback: f32,
    face: ttf_parser::Face<'static>,
}

impl Metrics {
    fn new(data: &'static [u8]) -> Metrics {
        let face = ttf_parser::Face::parse(data, 0).expect("the bundled font parses");
        let upem = f32::from(face.units_per_em());
        let advance = |c: char| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map(|a| f32::from(a) / upem)
        };
        let table = (0u32..0x800)
            .map(|c| char::from_u32(c).and_then(advance).unwrap_or(0.0))
            .collect();
        let fallback = advance('M').unwrap_or(0.8);
        Metrics {
            table,
            fallback,
            face,
        }
    }

    /// Width of `text` at `size` px.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    /// Advance of one character, in em.
    pub fn advance(&self, c: char) -> f32 {
        let i = c as usize;
        if i < self.table.len() {
            let a = self.table[i];
            return if a > 0.0 { a } else { self.fallback };
        }
        let upem = f32::from(self.face.units_per_em());
        self.face
            .glyph_index(c)
            .and_then(|g| self.face.glyph_hor_advance(g))
            .map_or(self.fallback, |a| f32::from(a) / upem)
    }
}

/// The regular font's metrics.
pub fn regular() -> &'static Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    M.get_or_init(|| Metrics::new(REGULAR))
}

/// The bold font's metrics.
pub fn bold() -> &'static Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    M.get_or_init(|| Metrics::new(BOLD))
}

/// SVG parsing options whose font database holds the two bundled fonts only, and
/// that never read a file or decode an image an `<image>` names (exports draw none).
pub fn svg_options() -> usvg::Options<'static> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    let db = DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
        Arc::new(db)
    });
    usvg::Options {
        font_family: FAMILY.to_owned(),
        fontdb: db.clone(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    }
}
