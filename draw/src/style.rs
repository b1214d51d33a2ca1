//! The gauge's stylesheet and the colours it gives each theme: the live widget ships it, the
//! static snippet writes its rules into `style` attributes ([`static_stylesheet`]), and the
//! badges, the card and the charts paint with its [`Palette`], so every surface has the same
//! colours.

use crate::view::Theme;

/// The widget's stylesheet, the one source of every rule.
pub const STYLESHEET: &str = include_str!("../style/jauge.css");

/// The index just past the bracket (`(` or `{`, as `pair` says) that closes the one at `open`.
fn closing(text: &str, open: usize, pair: (char, char)) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text[open..].char_indices() {
        match c {
            c if c == pair.0 => depth += 1,
            c if c == pair.1 => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(open + i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The first comma of `text` outside parentheses.
fn top_level_comma(text: &str) -> Option<usize> {
    let mut depth = 0i32;
    text.char_indices().find_map(|(i, c)| {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => return Some(i),
            _ => {}
        }
        None
    })
}

/// Replaces each `name(…)` call innermost-first by what `resolve` makes of its arguments.
fn replace_calls(css: &str, name: &str, resolve: impl Fn(&str) -> String) -> String {
    let mut css = css.to_owned();
    let opening = format!("{name}(");
    // The last call found is never nested in a later one: resolving from the end handles
    // nesting without a parser.
    while let Some(start) = css.rfind(&opening) {
        let Some(end) = closing(&css, start + name.len(), ('(', ')')) else {
            break;
        };
        let inner = &css[start + opening.len()..end - 1];
        let value = resolve(inner);
        css.replace_range(start..end, &value);
    }
    css
}

/// The stylesheet with `light-dark()` settled for `theme`, split into its palette (the private
/// properties `--_accent`…, each resolved to a concrete value) and the rest of its rules.
fn settle(theme: Theme) -> (Vec<(String, String)>, String) {
    let dark = theme == Theme::Dark;
    let settled = replace_calls(STYLESHEET, "light-dark", |args| {
        let (light, dark_value) = args.split_at(top_level_comma(args).unwrap_or(args.len()));
        let chosen = if dark {
            dark_value.trim_start_matches(',')
        } else {
            light
        };
        chosen.trim().to_owned()
    });
    let mut palette: Vec<(String, String)> = Vec::new();
    let mut rules = String::with_capacity(settled.len());
    for line in settled.lines() {
        if let Some((name, value)) = line
            .trim()
            .strip_prefix("--_")
            .and_then(|rest| rest.split_once(':'))
        {
            // `var(--jauge-accent, #6d28d9)`: the public property's default is the colour.
            let value = replace_calls(value.trim().trim_end_matches(';'), "var", |args| {
                top_level_comma(args)
                    .map_or_else(String::new, |comma| args[comma + 1..].trim().to_owned())
            });
            palette.push((format!("--_{name}"), value));
            continue;
        }
        rules.push_str(line);
        rules.push('\n');
    }
    (palette, rules)
}

/// The stylesheet with every colour concrete for `theme`: `light-dark()` settled, the private
/// palette properties (`--_accent`…) and the public ones' defaults (`--jauge-accent`…)
/// substituted, their definitions dropped.
pub fn static_stylesheet(theme: Theme) -> String {
    let (palette, rules) = settle(theme);
    // `:where(.jauge) p` keeps the paragraph reset as weak as `p` in the browser; the inliner
    // does not know `:where()`, and the fragment is the gauge alone, so plain `p` is the same.
    let rules = replace_calls(&rules, ":where", |_| String::new());
    replace_calls(&rules, "var", |args| {
        let (name, fallback) = match top_level_comma(args) {
            Some(comma) => (args[..comma].trim(), args[comma + 1..].trim()),
            None => (args.trim(), ""),
        };
        palette
            .iter()
            .find(|(defined, _)| defined == name)
            .map_or_else(|| fallback.to_owned(), |(_, value)| value.clone())
    })
}

/// The gauge's colours for a theme, concrete, from the stylesheet: what the badge, the card and
/// the charts paint with, so every surface has the same colours.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Palette {
    /// The money bar.
    pub accent: String,
    /// The time bar.
    pub time: String,
    /// The empty bar.
    pub track: String,
    /// Text.
    pub fg: String,
    /// Background.
    pub bg: String,
    /// Secondary text.
    pub muted: String,
    /// The bar once the goal is reached.
    pub reached: String,
}

impl Palette {
    /// The palette of `theme` ([`Theme::Auto`] is light).
    pub fn of(theme: Theme) -> Palette {
        let (palette, _) = settle(theme);
        let get = |name: &str| {
            palette
                .iter()
                .find(|(defined, _)| defined == name)
                .map(|(_, value)| value.clone())
                .unwrap_or_default()
        };
        Palette {
            accent: get("--_accent"),
            time: get("--_time"),
            track: get("--_track"),
            fg: get("--_fg"),
            bg: get("--_bg"),
            muted: get("--_muted"),
            reached: get("--_reached"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_static_stylesheet_has_no_custom_properties_left() {
        for theme in [Theme::Light, Theme::Dark] {
            let css = static_stylesheet(theme);
            assert!(!css.contains("var("), "{css}");
            assert!(!css.contains("light-dark("), "{css}");
            assert!(!css.contains("--_"), "{css}");
        }
        let light = static_stylesheet(Theme::Light);
        assert!(light.contains(".jauge__fill { fill: #6d28d9;"), "{light}");
        let dark = static_stylesheet(Theme::Dark);
        assert!(dark.contains(".jauge__fill { fill: #c4b5fd;"), "{dark}");
        assert!(dark.contains("border-radius: 0.75rem"), "{dark}");
        assert!(light.contains("\n p { margin: 0.35rem 0;"), "{light}");
    }

    #[test]
    fn the_palette_comes_from_the_stylesheet() {
        let light = Palette::of(Theme::Light);
        assert_eq!(
            (light.accent.as_str(), light.bg.as_str()),
            ("#6d28d9", "#ffffff")
        );
        assert_eq!(Palette::of(Theme::Dark).accent, "#c4b5fd");
    }

    #[test]
    fn nested_calls_resolve_innermost_first() {
        let css = replace_calls("a: f(1, f(2, 3));", "f", |args| {
            args.split(',').next().unwrap_or_default().trim().to_owned()
        });
        assert_eq!(css, "a: 1;");
    }
}
