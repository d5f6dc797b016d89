//! Text wrapped to a width with the bundled fonts' metrics, escaped for XML, and the
//! two SVG elements everything is drawn with.

use std::fmt::Write;

use crate::export::fonts::Metrics;

/// Splits `text` into lines at most `max_w` px wide at `size` (words kept whole unless
/// one alone is too wide), at most `max_lines` (the last ends in "…" if cut).
pub fn wrap(text: &str, font: &Metrics, size: f32, max_w: f32, max_lines: usize) -> Vec<String> {
    let space = font.advance(' ') * size;
    let mut lines: Vec<String> = Vec::new();
    let mut cut = false;
    'paragraphs: for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut w = 0.0;
        for word in paragraph.split_whitespace() {
            let ww = font.width(word, size);
            if !line.is_empty() && w + space + ww <= max_w {
                line.push(' ');
                line.push_str(word);
                w += space + ww;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                if lines.len() >= max_lines {
                    cut = true;
                    break 'paragraphs;
                }
            }
            if ww <= max_w {
                line.push_str(word);
                w = ww;
                continue;
            }
            // A word wider than the line: broken where it fills one.
            w = 0.0;
            for c in word.chars() {
                let cw = font.advance(c) * size;
                if w + cw > max_w && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    w = 0.0;
                    if lines.len() >= max_lines {
                        cut = true;
                        break 'paragraphs;
                    }
                }
                line.push(c);
                w += cw;
            }
        }
        if !line.is_empty() {
            lines.push(line);
            if lines.len() >= max_lines {
                cut = paragraph_rest_follows(text, &lines);
                break;
            }
        }
    }
    if cut {
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && font.width(last, size) + font.width("…", size) > max_w {
                last.pop();
            }
            last.push('…');
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Whether words remain after `lines` (compared by count of non-space characters).
fn paragraph_rest_follows(text: &str, lines: &[String]) -> bool {
    let shown: usize = lines
        .iter()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    text.chars().filter(|c| !c.is_whitespace()).count() > shown
}

pub(super) fn text(
    body: &mut String,
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    fill: &str,
    content: &str,
) {
    if content.trim().is_empty() {
        return;
    }
    let weight = if bold { r#" font-weight="bold""# } else { "" };
    let _ = write!(
        body,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}" fill="{fill}"{weight} xml:space="preserve">{}</text>"#,
        escape(content)
    );
}

#[allow(clippy::too_many_arguments)]
pub(super) fn rect(
    body: &mut String,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    r: f32,
    fill: &str,
    stroke: Option<&str>,
) {
    let stroke = stroke
        .map(|s| format!(r#" stroke="{s}" stroke-width="1""#))
        .unwrap_or_default();
    let _ = write!(
        body,
        r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="{r}" fill="{fill}"{stroke}/>"#
    );
}

/// Text safe inside an XML element: markup characters escaped, characters XML 1.0
/// forbids (most controls, U+FFFE, U+FFFF) dropped, tabs as spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fonts;

    #[test]
    fn wrapping_keeps_every_word_and_fits() {
        let font = fonts::regular();
        let text = "Compare current accounts online then book a branch appointment";
        let lines = wrap(text, font, 11.5, 120.0, 40);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| font.width(l, 11.5) <= 120.0));
        assert_eq!(lines.join(" "), text);
        let long = "x".repeat(500);
        let lines = wrap(&long, font, 11.5, 100.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'));
    }

    #[test]
    fn escaping_drops_what_xml_forbids() {
        assert_eq!(
            escape("a<b>&\"c\u{0}\u{1b}d\u{FFFF}"),
            "a&lt;b&gt;&amp;&quot;cd"
        );
    }
}
