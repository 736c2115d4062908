use super::*;

#[test]
fn every_owner_is_listed_once_and_added_funds_come_first() {
    let names: Vec<&str> = OWNERS.iter().map(|o| o.name()).collect();
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "{names:?}");
    // As before the seam: the added credit is in the balance before the
    // other owners run.
    assert_eq!(names[0], "added funds");
}
