//! A line diff (longest common subsequence), for comparing template versions.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "line", rename_all = "snake_case")]
pub enum DiffLine {
    Same(String),
    Added(String),
    Removed(String),
}

/// The lines of `new` compared with `old`. Templates are small, so the
/// quadratic table is fine (a few hundred lines at most).
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(DiffLine::Same(a[i].to_owned()));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            out.push(DiffLine::Removed(a[i].to_owned()));
            i += 1;
        } else {
            out.push(DiffLine::Added(b[j].to_owned()));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| DiffLine::Removed((*l).to_owned())));
    out.extend(b[j..].iter().map(|l| DiffLine::Added((*l).to_owned())));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use DiffLine::*;

    #[test]
    fn changed_lines_show_as_removed_then_added() {
        let d = diff_lines("Hello\nOrder {{ n }}\nBye", "Hello\nYour order {{ n }}\nBye\nP.S.");
        assert_eq!(
            d,
            [
                Same("Hello".into()),
                Removed("Order {{ n }}".into()),
                Added("Your order {{ n }}".into()),
                Same("Bye".into()),
                Added("P.S.".into())
            ]
        );
    }

    #[test]
    fn identical_and_empty_texts() {
        assert!(diff_lines("a\nb", "a\nb").iter().all(|l| matches!(l, Same(_))));
        assert_eq!(diff_lines("", "x"), [Added("x".into())]);
        assert_eq!(diff_lines("x", ""), [Removed("x".into())]);
    }
}
