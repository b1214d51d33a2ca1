//! Tables, and text made safe for Markdown, code blocks and spreadsheets.

use std::fmt::Write as _;

/// Text from a campaign file or a ledger, as Markdown that shows it literally: every ASCII
/// punctuation character CommonMark gives a meaning to is backslash-escaped (no emphasis, link,
/// image, heading, list, table cell, HTML tag or entity can come out of it), and line breaks
/// become spaces (a name stays on its heading's line).
pub fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.replace("\r\n", "\n").chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn table(out: &mut String, markdown: bool, headers: &[&str], rows: &[Vec<String>]) {
    if markdown {
        let _ = writeln!(out, "| {} |", headers.join(" | "));
        let _ = writeln!(
            out,
            "|{}",
            headers.iter().map(|_| "---|").collect::<String>()
        );
        for row in rows {
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        let _ = writeln!(out);
        return;
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let pad = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, w))| {
                let fill = " ".repeat(w - cell.chars().count());
                if i == 0 {
                    format!("{cell}{fill}")
                } else {
                    format!("{fill}{cell}")
                }
            })
            .collect();
        format!("  {}", padded.join("  "))
    };
    let _ = writeln!(
        out,
        "{}",
        pad(headers.iter().map(|h| (*h).to_owned()).collect())
    );
    for row in rows {
        let _ = writeln!(out, "{}", pad(row.clone()));
    }
    let _ = writeln!(out);
}

/// A fenced code block holding `text` literally: its fence is longer than any run of backticks
/// in the text, so nothing in it can close the block early.
pub(crate) fn code_block(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{text}{fence}\n")
}

/// A campaign's text for a spreadsheet cell: one that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is kept as text by a leading
/// apostrophe, as OWASP advises against CSV injection.
pub(crate) fn spreadsheet_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}
