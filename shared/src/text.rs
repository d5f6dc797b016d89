//! Small text helpers the server and the web app share.

/// `text` cut to at most `max_chars` characters, ending with `…` when it was cut.
/// `max_chars` of 0 gives an empty string.
pub fn ellipsize(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    if max_chars > 0 {
        cut.push('…');
    }
    cut
}

/// `text` on one line: runs of white space (newlines included) become one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_whole() {
        assert_eq!(ellipsize("Onboarding", 10), "Onboarding");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis_within_the_limit() {
        let cut = ellipsize("Découverte du parcours", 10);
        assert_eq!(cut, "Découvert…");
        assert_eq!(cut.chars().count(), 10);
    }

    #[test]
    fn zero_limit_gives_nothing() {
        assert_eq!(ellipsize("abc", 0), "");
    }

    #[test]
    fn one_line_folds_white_space() {
        assert_eq!(one_line("  a\n\tb   c "), "a b c");
    }
}
