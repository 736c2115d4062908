//! Quoted history cut from a reply's text, so a ticket shows what was
//! written rather than the whole thread again: the attribution line
//! ("On Mon, 3 Dec 2026, Ama <ama@example.com> wrote:", also wrapped over
//! two lines) with the `>` lines after it, `>` lines anywhere, Outlook's
//! "-----Original Message-----" or its From:/Sent:/To:/Subject: header
//! block and everything below either, and a signature after "-- ".

/// `text` without its quoted history; trailing separators trimmed.
pub fn strip(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if line == "-- " || t == "--" || is_original_message(t) || is_header_block(&lines[i..]) {
            break;
        }
        if let Some(n) = attribution(&lines[i..]) {
            i += n;
            continue;
        }
        if !t.starts_with('>') {
            out.push(line.trim_end());
        }
        i += 1;
    }
    while out
        .last()
        .is_some_and(|l| l.trim().is_empty() || l.trim().chars().all(|c| c == '_' || c == '-'))
    {
        out.pop();
    }
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    out.join("\n")
}

/// "-----Original Message-----" and its spaced or translated forms.
fn is_original_message(t: &str) -> bool {
    let inner = t
        .trim_matches(|c: char| c == '-' || c == ' ')
        .to_ascii_lowercase();
    t.starts_with("---")
        && matches!(
            inner.as_str(),
            "original message"
                | "forwarded message"
                | "ursprüngliche nachricht"
                | "message d'origine"
        )
}

/// Outlook's header block: a `From:` line with `Sent:` or `Date:` and
/// `To:` or `Subject:` in the few lines after it.
fn is_header_block(lines: &[&str]) -> bool {
    let starts = |l: &str, p: &str| {
        l.trim()
            .get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    let Some(first) = lines.first() else {
        return false;
    };
    if !starts(first, "From:") {
        return false;
    }
    let next: Vec<&str> = lines.iter().skip(1).take(5).copied().collect();
    let dated = next
        .iter()
        .any(|l| starts(l, "Sent:") || starts(l, "Date:"));
    let addressed = next
        .iter()
        .any(|l| starts(l, "To:") || starts(l, "Subject:"));
    dated && addressed
}

/// An attribution line (or two, when wrapped) that only quotes follow:
/// how many lines it takes, or `None`.
fn attribution(lines: &[&str]) -> Option<usize> {
    let first = lines.first()?.trim();
    if !first.starts_with("On ") && !first.starts_with("Le ") && !first.starts_with("Am ") {
        return None;
    }
    let ends = |s: &str| {
        let s = s.trim_end();
        s.ends_with("wrote:")
            || s.ends_with("écrit :")
            || s.ends_with("écrit:")
            || s.ends_with("schrieb:")
    };
    let taken = if ends(first) {
        1
    } else if lines.get(1).is_some_and(|l| ends(l)) {
        2
    } else {
        return None;
    };
    // Only quotes (or nothing) may follow; otherwise it was prose.
    let after = lines[taken..]
        .iter()
        .map(|l| l.trim())
        .find(|l| !l.is_empty());
    after.is_none_or(|l| l.starts_with('>')).then_some(taken)
}
