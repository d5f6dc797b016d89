//! Suggesting where an activity of a log belongs in the journey, by name: the stage
//! or touchpoint card whose words look most like the activity's (character trigrams
//! of lower-cased, accent-free words; a shared word stem counts double).

use std::collections::HashSet;

/// Below this, nothing is suggested.
const THRESHOLD: f64 = 0.18;

/// Lower-case, accents folded (French and the other Latin scripts people type),
/// anything else than letters and digits turned into spaces.
fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' => 'a',
            'ç' | 'Ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'Î' | 'Ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ô' | 'Ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'Û' | 'Ü' => 'u',
            'ÿ' => 'y',
            c if c.is_alphanumeric() => c.to_ascii_lowercase(),
            _ => ' ',
        })
        .collect()
}

/// Words of at least three letters, cut to a five-letter stem ("calculators" and
/// "calculator" meet).
fn stems(s: &str) -> HashSet<String> {
    normalize(s)
        .split_whitespace()
        .filter(|w| w.len() >= 3)
        .map(|w| w.chars().take(5).collect())
        .collect()
}

fn trigrams(s: &str) -> HashSet<[char; 3]> {
    let mut out = HashSet::new();
    for word in normalize(s).split_whitespace() {
        let chars: Vec<char> = format!(" {word} ").chars().collect();
        for w in chars.windows(3) {
            out.insert([w[0], w[1], w[2]]);
        }
    }
    out
}

/// How alike two names are, 0 to about 1.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (ta, tb) = (trigrams(a), trigrams(b));
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let common = ta.intersection(&tb).count() as f64;
    let dice = 2.0 * common / (ta.len() + tb.len()) as f64;
    let (sa, sb) = (stems(a), stems(b));
    let shared = sa.intersection(&sb).count() as f64;
    let words = if sa.is_empty() || sb.is_empty() {
        0.0
    } else {
        shared / sa.len().min(sb.len()) as f64
    };
    (dice + 2.0 * words) / 3.0
}

/// The best stage (index) and card (index) for `activity` among `stages` names and
/// `cards` `(text, stage index)`: a card's match also suggests its stage when it is
/// closer than any stage name.
pub fn suggest(
    activity: &str,
    stages: &[&str],
    cards: &[(&str, usize)],
) -> (Option<usize>, Option<usize>) {
    let best_stage = stages
        .iter()
        .enumerate()
        .map(|(i, s)| (i, similarity(activity, s)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let best_card = cards
        .iter()
        .enumerate()
        .map(|(i, (text, _))| (i, similarity(activity, text)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let card = best_card.filter(|(_, s)| *s >= THRESHOLD);
    let stage = match (best_stage.filter(|(_, s)| *s >= THRESHOLD), card) {
        (Some((s, ss)), Some((c, cs))) => Some(if cs > ss { cards[c].1 } else { s }),
        (Some((s, _)), None) => Some(s),
        (None, Some((c, _))) => Some(cards[c].1),
        (None, None) => None,
    };
    (stage, card.map(|(c, _)| c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activities_find_their_stage_or_touchpoint() {
        let stages = [
            "Awareness",
            "Research and advice",
            "Account opening",
            "Getting started",
        ];
        let cards = [
            ("Product pages with savings and loan calculators", 1),
            ("Mobile sign-up with identity check and tailored rates", 2),
            ("Welcome email explaining the account's benefits", 3),
        ];
        assert_eq!(
            suggest("Calculator used", &stages, &cards),
            (Some(1), Some(0))
        );
        assert_eq!(
            suggest("Welcome email opened", &stages, &cards),
            (Some(3), Some(2))
        );
        assert_eq!(suggest("Account opened", &stages, &cards).0, Some(2));
        assert_eq!(
            suggest("Ouverture de compte", &["Ouverture du compte"], &[]).0,
            Some(0)
        );
        assert_eq!(suggest("zzz", &stages, &cards), (None, None));
    }
}
