//! How people look in presence: a stable colour per account, the same in the web app
//! and on the server (which writes each person's name and colour into the presence
//! they publish, so nobody can pose as someone else).

/// Colors people are drawn in: saturated enough for outlines, dark enough for white
/// initials.
pub const PALETTE: [&str; 10] = [
    "#d92d20", "#dc6803", "#039855", "#0086c9", "#3e4784", "#7a5af8", "#c11574", "#087443",
    "#b54708", "#155eef",
];

/// A stable color for a user (or guest) id, so one person looks the same everywhere.
pub fn color_for(id: &str) -> &'static str {
    // FNV-1a: tiny and stable across builds, unlike std's hasher.
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    PALETTE[(hash % PALETTE.len() as u64) as usize]
}

/// The id public-link visitors are coloured by.
pub const GUEST: &str = "guest";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_id_always_gets_the_same_palette_color() {
        assert_eq!(color_for("abc"), color_for("abc"));
        assert!(PALETTE.contains(&color_for("someone")));
    }
}
