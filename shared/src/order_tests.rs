//! Tests of the fractional-indexing keys.

use super::*;

const ROUNDS: usize = 500;

fn assert_strictly_ascending(keys: &[String]) {
    for pair in keys.windows(2) {
        assert!(pair[0] < pair[1], "{:?} !< {:?}", pair[0], pair[1]);
    }
    for key in keys {
        assert!(is_valid_key(key), "invalid key {key:?}");
    }
}

#[test]
fn first_key_is_a0_and_appends_count_up() {
    assert_eq!(key_between(None, None), "a0");
    assert_eq!(key_between(Some("a0"), None), "a1");
    assert_eq!(key_between(Some("az"), None), "b00");
    assert_eq!(key_between(None, Some("a0")), "Zz");
    assert_eq!(key_between(Some("a0"), Some("a1")), "a0V");
}

#[test]
fn appending_500_times_stays_ordered_and_short() {
    let mut keys = vec![key_between(None, None)];
    for _ in 0..ROUNDS {
        let next = key_between(keys.last().map(String::as_str), None);
        keys.push(next);
    }
    assert_strictly_ascending(&keys);
    assert!(keys.iter().all(|k| k.len() <= 3), "{:?}", keys.last());
}

#[test]
fn prepending_500_times_stays_ordered_and_short() {
    let mut keys = vec![key_between(None, None)];
    for _ in 0..ROUNDS {
        let next = key_between(None, keys.first().map(String::as_str));
        keys.insert(0, next);
    }
    assert_strictly_ascending(&keys);
    assert!(keys.iter().all(|k| k.len() <= 3), "{:?}", keys.first());
}

#[test]
fn inserting_500_times_in_the_middle_stays_ordered() {
    let mut keys = vec![key_between(None, None)];
    keys.push(key_between(Some(&keys[0]), None));
    for round in 0..ROUNDS {
        let i = keys.len() / 2;
        let key = key_between(Some(&keys[i - 1]), Some(&keys[i]));
        keys.insert(i, key);
        assert_strictly_ascending(&keys[i - 1..=i + 1]);
        assert!(round > 0 || keys.len() == 3);
    }
    assert_strictly_ascending(&keys);
    // Halving the same gap grows the key by about one digit per 5-6 inserts.
    assert!(keys.iter().all(|k| k.len() < 120));
}

#[test]
fn inserting_repeatedly_right_after_the_same_key_stays_ordered() {
    let mut keys = vec!["a0".to_owned(), "a1".to_owned()];
    for _ in 0..ROUNDS {
        let key = key_between(Some(&keys[0]), Some(&keys[1]));
        keys.insert(1, key);
    }
    assert_strictly_ascending(&keys);
}

#[test]
fn keys_between_gives_n_ascending_keys_inside_the_gap() {
    for (a, b) in [
        (None, None),
        (Some("a0"), None),
        (None, Some("a0")),
        (Some("a0"), Some("a1")),
    ] {
        let keys = keys_between(a, b, 50);
        assert_eq!(keys.len(), 50);
        assert_strictly_ascending(&keys);
        assert!(a.is_none_or(|a| a < keys[0].as_str()));
        assert!(b.is_none_or(|b| keys[49].as_str() < b));
    }
}

#[test]
fn equal_or_descending_neighbours_are_an_error() {
    assert!(matches!(
        try_key_between(Some("a1"), Some("a1")),
        Err(OrderError::NotAscending(..))
    ));
    assert!(matches!(
        try_key_between(Some("a2"), Some("a1")),
        Err(OrderError::NotAscending(..))
    ));
}

#[test]
fn malformed_keys_are_rejected_without_panicking() {
    for bad in [
        "",
        "a",
        "a0 ",
        "é",
        "a10",
        "!x",
        "A00000000000000000000000000",
        "b0",
    ] {
        assert!(!is_valid_key(bad), "{bad:?}");
        assert!(try_key_between(Some(bad), None).is_err());
        let _ = key_between(Some(bad), Some("a5"));
        let _ = keys_between(Some(bad), Some(bad), 3);
    }
}

#[test]
fn place_at_between_distinct_neighbours_writes_one_key() {
    let p = place_at(&["a0", "a1", "a2"], 1);
    assert!(p.rekey.is_empty());
    assert!("a0" < p.key.as_str() && p.key.as_str() < "a1");
    assert_eq!(place_at(&[], 7).key, "a0");
    assert!(place_at(&["a0"], 9).key.as_str() > "a0");
}

#[test]
fn place_at_between_tied_neighbours_rekeys_everyone_in_display_order() {
    let sorted = ["a0", "a1", "a1", "junk"];
    let p = place_at(&sorted, 2);
    assert_eq!(p.rekey.len(), 4);
    let mut all: Vec<(String, usize)> = p.rekey.iter().map(|(i, k)| (k.clone(), *i * 2)).collect();
    all.push((p.key.clone(), 3)); // between sibling 1 (=2) and sibling 2 (=4)
    all.sort();
    let positions: Vec<usize> = all.iter().map(|(_, pos)| *pos).collect();
    assert_eq!(positions, vec![0, 2, 3, 4, 6]);
}
