//! The user guide (`docs/src/`, an mdBook) and the README: every link leads somewhere, every page
//! is in the summary, and every `jauge` command line the guide shows is one the command takes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::Parser;
use jauge_cli::commands::Cli;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser as Markdown, Tag, TagEnd};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The guide's pages and the README.
fn pages() -> Vec<PathBuf> {
    fn walk(dir: &Path, into: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, into);
            } else if path.extension().is_some_and(|e| e == "md") {
                into.push(path);
            }
        }
    }
    let mut pages = vec![root().join("README.md")];
    walk(&root().join("docs/src"), &mut pages);
    pages.sort();
    pages
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The ids mdBook gives a page's headings: lower case, letters, digits, `-` and `_` kept,
/// spaces made `-`, the rest dropped; a repeated id gets `-1`, `-2`…
fn heading_ids(text: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut heading: Option<String> = None;
    for event in Markdown::new_ext(text, Options::all()) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = &mut heading {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let h = heading.take().unwrap_or_default();
                let base: String = h
                    .trim()
                    .to_lowercase()
                    .chars()
                    .filter_map(|c| match c {
                        ' ' => Some('-'),
                        c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                        _ => None,
                    })
                    .collect();
                let mut id = base.clone();
                let mut n = 1;
                while ids.contains(&id) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                ids.insert(id);
            }
            _ => {}
        }
    }
    ids
}

/// Every link and image of a page, as written.
fn links(text: &str) -> Vec<String> {
    Markdown::new_ext(text, Options::all())
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.into_string())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn every_link_of_the_guide_and_the_readme_leads_somewhere() {
    let mut broken = Vec::new();
    for page in pages() {
        let text = read(&page);
        for link in links(&text) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            let (path, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(path)
            };
            if !target.exists() {
                broken.push(format!("{}: {link}: no such file", page.display()));
                continue;
            }
            if !anchor.is_empty()
                && target.extension().is_some_and(|e| e == "md")
                && !heading_ids(&read(&target)).contains(anchor)
            {
                broken.push(format!("{}: {link}: no such heading", page.display()));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn every_page_of_the_guide_is_in_its_summary_and_each_once() {
    let src = root().join("docs/src");
    let summary = read(&src.join("SUMMARY.md"));
    let listed: Vec<PathBuf> = links(&summary).iter().map(|l| src.join(l)).collect();
    let unique: BTreeSet<&PathBuf> = listed.iter().collect();
    assert_eq!(unique.len(), listed.len(), "a page is listed twice");
    let on_disk: BTreeSet<PathBuf> = pages()
        .into_iter()
        .filter(|p| p.starts_with(&src) && !p.ends_with("SUMMARY.md"))
        .collect();
    let listed: BTreeSet<PathBuf> = listed.into_iter().collect();
    assert_eq!(listed, on_disk);
}

/// The `jauge` command lines of a page's code blocks, with where they are.
fn command_lines(page: &Path) -> Vec<(String, String)> {
    let text = read(page);
    let mut lines = Vec::new();
    let mut in_block = false;
    for (event, range) in Markdown::new_ext(&text, Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) => {
                in_block = matches!(&*lang, "sh" | "text" | "console" | "")
            }
            Event::End(TagEnd::CodeBlock) => in_block = false,
            Event::Text(block) if in_block => {
                let line_of = text[..range.start].lines().count();
                for (i, line) in block.lines().enumerate() {
                    let line = line.trim_start().trim_start_matches("$ ");
                    let command = line
                        .strip_prefix("cargo run --release -p jauge-cli -- ")
                        .or_else(|| line.strip_prefix("jauge "));
                    if let Some(command) = command {
                        lines.push((
                            format!("{}:{}", page.display(), line_of + i),
                            command.to_owned(),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    lines
}

/// A synopsis made a command line: each `[optional part]` given, the first of `a|b|c`, a
/// trailing comment and a redirection dropped, `…` (any number more) dropped.
fn from_synopsis(line: &str) -> Option<Vec<String>> {
    let line = line.split("  #").next()?.split(" > ").next()?;
    let words = shlex::split(&line.replace(['[', ']'], " "))?;
    Some(
        words
            .into_iter()
            .filter(|w| w != "…")
            .map(|w| {
                let first = w.split('|').next().unwrap_or(&w).to_owned();
                first.replace('…', "")
            })
            .collect(),
    )
}

#[test]
fn every_jauge_command_the_guide_shows_is_one_jauge_takes() {
    let mut seen = 0;
    let mut refused = Vec::new();
    for page in pages() {
        for (at, line) in command_lines(&page) {
            seen += 1;
            let Some(words) = from_synopsis(&line) else {
                refused.push(format!("{at}: cannot split {line:?}"));
                continue;
            };
            let args = std::iter::once("jauge".to_owned()).chain(words);
            if let Err(e) = Cli::try_parse_from(args) {
                refused.push(format!("{at}: jauge {line}\n{e}"));
            }
        }
    }
    assert!(
        seen >= 20,
        "only {seen} command lines found: the reader lost them"
    );
    assert!(refused.is_empty(), "{}", refused.join("\n"));
}

/// A synopsis that names an option jauge does not have is caught (the test above can fail).
#[test]
fn a_command_line_jauge_does_not_take_is_caught() {
    let words = from_synopsis("status --campaign c.toml [--no-such-option 3]").unwrap();
    assert!(Cli::try_parse_from(std::iter::once("jauge".to_owned()).chain(words)).is_err());
    let words = from_synopsis("status --campaign c.toml [--format text|json]   # comment").unwrap();
    assert!(Cli::try_parse_from(std::iter::once("jauge".to_owned()).chain(words)).is_ok());
}

#[test]
fn a_heading_id_is_what_mdbook_makes() {
    let ids =
        heading_ids("# The `jauge` command\n## Live gifts: webhooks\n## Live gifts: webhooks\n");
    assert!(ids.contains("the-jauge-command"), "{ids:?}");
    assert!(ids.contains("live-gifts-webhooks"), "{ids:?}");
    assert!(ids.contains("live-gifts-webhooks-1"), "{ids:?}");
}

/// The guide's command lines, run: each synopsis (its optional parts given, the first of each
/// choice) on a copy of the example campaign (one per page, as its lines follow each other), as
/// `campaign.toml` in the folder it runs in. Lines that name a file the example does not have
/// (an export, a budget, a saved webhook) or an id cut short (`ch_3OMe…`), the server (it runs
/// until stopped), shell completions, a catch-up (it needs a platform's API) and publishing to
/// a bucket (which needs one) are left to the parse check above; every other line must succeed.
#[test]
fn the_guides_command_lines_run_on_the_example() {
    let (mut ran, mut failed) = (Vec::new(), Vec::new());
    for page in pages() {
        let lines = command_lines(&page);
        if lines.is_empty() {
            continue;
        }
        let work = tempfile::tempdir().unwrap();
        let campaign = crate::support::example_in(work.path());
        let dir = campaign.parent().unwrap();
        for (at, line) in lines {
            let cut_short = line
                .split_whitespace()
                .any(|word| word.contains('…') && word != "…");
            let Some(mut words) = from_synopsis(&line).filter(|_| !cut_short) else {
                continue;
            };
            if ["serve", "completions", "hook", "import", "catch-up"].contains(&words[0].as_str()) {
                continue;
            }
            if let Some(i) = words.iter().position(|w| w == "--publish-to") {
                words.drain(i..(i + 2).min(words.len()));
            }
            let names_a_missing_file = words.iter().enumerate().any(|(i, word)| {
                let file = [".csv", ".json", ".ods", ".xlsx", ".toml", ".db"]
                    .iter()
                    .any(|ext| word.ends_with(ext));
                let written = i > 0 && words[i - 1] == "--out";
                file && !written && !dir.join(word).exists()
            });
            if names_a_missing_file || words.iter().any(|w| w == "FILE") {
                continue;
            }
            // A command that takes the widget bundle gets the stand-in, so that it runs before
            // (or without) `cargo xtask dist`.
            if !words.iter().any(|w| w == "--widget") {
                let bundle = crate::support::widget_bundle(dir).display().to_string();
                let with: Vec<String> = [words.clone(), vec!["--widget".into(), bundle]].concat();
                let args = std::iter::once("jauge".to_owned()).chain(with.iter().cloned());
                if Cli::try_parse_from(args).is_ok() {
                    words = with;
                }
            }
            let output = crate::support::jauge()
                .args(&words)
                .current_dir(dir)
                .output()
                .unwrap();
            if output.status.success() {
                ran.push(at);
            } else {
                failed.push(format!(
                    "{at}: jauge {}\n{}",
                    words.join(" "),
                    crate::support::stderr(&output)
                ));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert!(ran.len() >= 15, "only {} lines ran: {ran:?}", ran.len());
}
