//! The drawn SVG turned into a PNG (resvg, at 1× or 2×) or a vector PDF (svg2pdf,
//! text kept as text with the fonts embedded): one poster page the size of the board,
//! or A4/A3 landscape pages, each holding a range of stages with the lane heads
//! repeated and the first one the map's head.

use std::collections::HashMap;

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, TextStr};
use resvg::tiny_skia;
use resvg::usvg;

use super::fonts;
use super::svg::{self, Board, Part};
use super::ExportError;

/// Most pixels a PNG may have (about 160 MB of RGBA while drawing).
pub const MAX_PNG_PIXELS: u64 = 40_000_000;
/// PDF points per CSS pixel.
const PT_PER_PX: f32 = 0.75;
/// Largest page side a PDF reader must accept (200 inches), in points.
const MAX_PAGE_PT: f32 = 14_400.0;
/// White space around the drawing on a paper page, in points.
const PAGE_MARGIN_PT: f32 = 18.0;

/// Paper for a PDF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    /// One page the size of the whole board.
    Poster,
    /// A4 landscape pages.
    A4,
    /// A3 landscape pages.
    A3,
}

impl Paper {
    /// The paper named `s` (`poster`, `a4`, `a3`).
    pub fn parse(s: &str) -> Option<Paper> {
        match s {
            "poster" => Some(Paper::Poster),
            "a4" => Some(Paper::A4),
            "a3" => Some(Paper::A3),
            _ => None,
        }
    }

    /// Landscape width and height in points.
    fn size_pt(self) -> Option<(f32, f32)> {
        match self {
            Paper::Poster => None,
            Paper::A4 => Some((841.89, 595.28)),
            Paper::A3 => Some((1190.55, 841.89)),
        }
    }
}

fn tree(svg: &str) -> Result<usvg::Tree, ExportError> {
    usvg::Tree::from_str(svg, &fonts::svg_options())
        .map_err(|e| ExportError::Internal(format!("drawn SVG did not parse: {e}")))
}

/// The whole board as a PNG at `scale` (1 or 2).
pub fn png(board: &Board<'_>, scale: u32) -> Result<Vec<u8>, ExportError> {
    let drawn = svg::draw(board, &Part::all(board.view));
    let (w, h) = (
        (drawn.width * scale as f32).ceil() as u32,
        (drawn.height * scale as f32).ceil() as u32,
    );
    if u64::from(w) * u64::from(h) > MAX_PNG_PIXELS {
        return Err(ExportError::TooLarge(format!(
            "the board is {w} × {h} pixels at {scale}×, over the {MAX_PNG_PIXELS}-pixel limit; \
             export it at 1×, as SVG or as PDF"
        )));
    }
    let tree = tree(&drawn.text)?;
    let mut pixmap =
        tiny_skia::Pixmap::new(w, h).ok_or_else(|| ExportError::Internal("empty board".into()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale as f32, scale as f32),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ExportError::Internal(format!("PNG encoding failed: {e}")))
}

/// The board as a PDF on `paper`.
pub fn pdf(board: &Board<'_>, paper: Paper) -> Result<Vec<u8>, ExportError> {
    let n = board.view.stages.len();
    let parts: Vec<Part> = match paper.size_pt() {
        None => vec![Part::all(board.view)],
        Some((w, _)) => {
            let most = svg::stages_per_page((w - 2.0 * PAGE_MARGIN_PT) / PT_PER_PX);
            // As few pages as fit, with the stages shared evenly (5 stages on A4 make
            // pages of 3 and 2, not 4 and 1).
            let pages = n.div_ceil(most).max(1);
            let per = n.div_ceil(pages).max(1);
            let ranges: Vec<_> = if n == 0 {
                std::iter::once(0..0).collect()
            } else {
                (0..n).step_by(per).map(|s| s..(s + per).min(n)).collect()
            };
            let pages = ranges.len();
            ranges
                .into_iter()
                .enumerate()
                .map(|(i, stages)| Part {
                    stages,
                    full_head: i == 0,
                    page: Some((i + 1, pages)),
                })
                .collect()
        }
    };

    let mut next = Ref::new(1);
    let mut bump = || {
        let r = next;
        next = Ref::new(r.get() + 1);
        r
    };
    let catalog = bump();
    let page_tree = bump();
    let info = bump();
    let mut pdf = Pdf::new();
    let mut page_ids = Vec::with_capacity(parts.len());
    let mut chunks = Vec::with_capacity(parts.len());
    let mut pages = Vec::with_capacity(parts.len());
    for part in &parts {
        let drawn = svg::draw(board, part);
        let tree = tree(&drawn.text)?;
        let (chunk, xobject) = svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default())
            .map_err(|e| ExportError::Internal(format!("PDF conversion failed: {e}")))?;
        let mut map = HashMap::new();
        let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(&mut bump));
        let xobject = map
            .get(&xobject)
            .copied()
            .ok_or_else(|| ExportError::Internal("PDF conversion lost its drawing".into()))?;
        let (svg_w, svg_h) = (drawn.width * PT_PER_PX, drawn.height * PT_PER_PX);
        // Page size, and the drawing's size and place on it.
        let (page_w, page_h, draw_w, draw_h, x, y) = match paper.size_pt() {
            None => {
                let fit = (MAX_PAGE_PT / svg_w).min(MAX_PAGE_PT / svg_h).min(1.0);
                let (w, h) = (svg_w * fit, svg_h * fit);
                (w, h, w, h, 0.0, 0.0)
            }
            Some((pw, ph)) => {
                let fit = ((pw - 2.0 * PAGE_MARGIN_PT) / svg_w)
                    .min((ph - 2.0 * PAGE_MARGIN_PT) / svg_h)
                    .min(1.0);
                let (w, h) = (svg_w * fit, svg_h * fit);
                (pw, ph, w, h, PAGE_MARGIN_PT, ph - PAGE_MARGIN_PT - h)
            }
        };
        let page = bump();
        let content = bump();
        page_ids.push(page);
        chunks.push(chunk);
        pages.push((
            page,
            content,
            xobject,
            page_w,
            page_h,
            [draw_w, 0.0, 0.0, draw_h, x, y],
        ));
    }
    pdf.catalog(catalog).pages(page_tree);
    pdf.pages(page_tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    for (page, content, xobject, w, h, transform) in pages {
        let name = Name(b"Board");
        let mut p = pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, w, h));
        p.parent(page_tree);
        p.contents(content);
        p.resources().x_objects().pair(name, xobject);
        p.finish();
        let mut c = Content::new();
        c.save_state();
        c.transform(transform);
        c.x_object(name);
        c.restore_state();
        pdf.stream(content, &c.finish());
    }
    pdf.document_info(info)
        .title(TextStr(&board.view.meta.title))
        .producer(TextStr("Parcours"));
    for chunk in &chunks {
        pdf.extend(chunk);
    }
    Ok(pdf.finish())
}

/// The whole board as SVG text (fonts named, not embedded: viewers draw it with
/// DejaVu Sans or their sans-serif).
pub fn svg(board: &Board<'_>) -> String {
    svg::draw(board, &Part::all(board.view)).text
}
