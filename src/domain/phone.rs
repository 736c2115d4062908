//! Telephone numbers in the registries' form (RFC 5733's `+CC.NNNN`):
//! an international number split after its country calling code.
//! Calling codes form a prefix code (ITU-T E.164), so the split needs
//! only the first digits: which 2-digit codes are assigned in each zone
//! decides whether a code has 1, 2 or 3 digits.

/// How many digits the calling code at the start of `digits` has.
fn code_len(digits: &[u8]) -> Option<usize> {
    let d = |i: usize| digits.get(i).map(|b| b - b'0');
    let two = |a: u8, b: u8| match a {
        2 => matches!(b, 0 | 7),
        3 => matches!(b, 0..=4 | 6 | 9),
        4 => matches!(b, 0 | 1 | 3..=9),
        5 => matches!(b, 1..=8),
        6 => matches!(b, 0..=6),
        8 => matches!(b, 1 | 2 | 4 | 6),
        9 => matches!(b, 0..=5 | 8),
        _ => false,
    };
    match (d(0)?, d(1)) {
        (0, _) => None,
        (1 | 7, _) => Some(1),
        (a, Some(b)) if two(a, b) => Some(2),
        (_, Some(_)) => Some(3),
        (_, None) => None,
    }
}

/// `+233 55 050 7788` → `+233.550507788`. A number already split, or one
/// that is not international (no `+`: its country code is unknown), is
/// answered as given, without the spaces and punctuation people type.
pub fn registry_form(phone: &str) -> String {
    let kept: String = phone
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '/'))
        .collect();
    let Some(rest) = kept.strip_prefix('+') else {
        return kept;
    };
    if rest.contains('.') || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return kept;
    }
    match code_len(rest.as_bytes()) {
        Some(n) if rest.len() > n => format!("+{}.{}", &rest[..n], &rest[n..]),
        _ => kept,
    }
}

#[cfg(test)]
mod tests {
    use super::registry_form;

    #[test]
    fn international_numbers_are_split_after_their_calling_code() {
        assert_eq!(registry_form("+233550507788"), "+233.550507788");
        assert_eq!(registry_form("+1 (415) 555-0100"), "+1.4155550100");
        assert_eq!(registry_form("+44 20 7946 0958"), "+44.2079460958");
        assert_eq!(registry_form("+49 30 1234567"), "+49.301234567");
        assert_eq!(registry_form("+7 495 123 4567"), "+7.4951234567");
        assert_eq!(registry_form("+353 1 234 5678"), "+353.12345678");
        assert_eq!(registry_form("+880 1712 345678"), "+880.1712345678");
        assert_eq!(registry_form("+971 4 123 4567"), "+971.41234567");
        assert_eq!(registry_form("+86 10 1234 5678"), "+86.1012345678");
    }

    #[test]
    fn split_national_or_odd_numbers_are_left_as_given() {
        assert_eq!(registry_form("+49.301234567"), "+49.301234567");
        assert_eq!(registry_form("0550 507 788"), "0550507788");
        assert_eq!(registry_form("+233"), "+233");
        assert_eq!(registry_form("+0123"), "+0123");
        assert_eq!(registry_form(""), "");
    }
}
