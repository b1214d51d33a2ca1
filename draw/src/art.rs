//! The built-in scene: two defenders (a purple creature in a scarf and a green sprout) facing
//! two giants (a cloud and a server) who grill data skewers, drawn once in
//! `draw/assets/scene.svg`. Each stage of the campaign is a view of that drawing
//! (`scene.svg#s2`): the giants grow worried and flee as gifts rise, the defenders wake up, stand,
//! stride and cheer; the last 48 hours fall at dusk; the goal reached brings bunting and confetti.
//!
//! The live gauge shows the view as an image, loaded after its first paint (the WebAssembly
//! carries only the view's name); the server-rendered snippet, the card and the newsletter's
//! image compose the same view from the drawing's parts (`standalone`, on the host). No yew here.
//!
//! Original artwork drawn for jauge.

use jauge::{Locale, Stage, StagePhase};

/// The drawing's file name, beside the status document.
pub const SCENE_FILE: &str = "scene.svg";

/// The drawing itself, for the server side (snippet, card, mail image, `jauge build`).
#[cfg(feature = "host")]
pub const SCENE_SVG: &str = include_str!("../assets/scene.svg");

/// A version of the drawing, so that a new one is never hidden by a cached old one
/// (`scene.svg?v=…`): FNV-1a of its bytes, computed when compiling.
pub const SCENE_VERSION: u32 = {
    let bytes = include_bytes!("../assets/scene.svg");
    let mut hash: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u32;
        hash = hash.wrapping_mul(0x0100_0193);
        i += 1;
    }
    hash
};

/// Every view the drawing has, in the order of [`Scene`]'s index: before the start, the five
/// stages, the same five in the final hours, and the end short of the goal.
pub const VIEWS: [&str; 12] = [
    "b", "s0", "s1", "s2", "s3", "s4", "f0", "f1", "f2", "f3", "f4", "e",
];

/// What the scene shows at a stage: one of the drawing's [`VIEWS`], each a pose of the two
/// defenders (asleep, waking, standing, striding, cheering) and of the giants (grilling at
/// ease, glancing over, worried, sweating, fleeing), which the drawing holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct Scene(u8);

impl Scene {
    /// The view's fragment in the drawing: `s0`..`s4` as gifts rise, `f0`..`f4` in the final
    /// hours (dusk, and the giants one step more nervous), `b` before the start, `e` when it
    /// ended short of its goal (night, the giants still there).
    pub fn view(self) -> &'static str {
        VIEWS[usize::from(self.0)]
    }

    /// Whether the goal is reached: bunting and confetti.
    pub fn celebration(self) -> bool {
        self.0 == 5 || self.0 == 10
    }

    /// The defenders' pose: 0 (asleep) to 4 (cheering).
    pub fn defenders(self) -> u8 {
        match self.0 {
            0 => 0,
            11 => 1,
            i => (i - 1) % 5,
        }
    }

    /// Whether it is dusk: the campaign's last 48 hours.
    pub fn final_hours(self) -> bool {
        (6..=10).contains(&self.0)
    }
}

/// The scene for a stage: progress sets the poses (the defenders come alive, the giants grow
/// worried as donations rise), the phase adjusts them (everyone rests before the start; in the
/// final hours the giants feel it one step earlier; ended short of the goal, the defenders look
/// on and the giants stay by their grill, uneasy).
pub fn scene(stage: Stage) -> Scene {
    let step = match stage.threshold() {
        0..=24 => 0,
        25..=49 => 1,
        50..=74 => 2,
        75..=99 => 3,
        _ => 4,
    };
    Scene(match stage.phase() {
        StagePhase::NotStarted => 0,
        StagePhase::FinalHours => 6 + step,
        StagePhase::EndedShort => 11,
        StagePhase::Running | StagePhase::EndedReached => 1 + step,
    })
}

/// The view `view` of the drawing as one self-contained SVG with nothing but what it shows: its
/// parts written out (no `<use>`, no ids, no style sheet), so that it can be inlined any number
/// of times in a page, rasterised, or mailed. `None` for a view the drawing does not have.
#[cfg(feature = "host")]
pub fn standalone(view: &str, title: &str) -> Option<String> {
    standalone_in(view, title, false)
}

/// As [`standalone`], at night when `night` (for dark themes): the daytime sky and ground give
/// way to the night's, so a dark card does not frame a bright blue picture. Dusk stays dusk.
#[cfg(feature = "host")]
pub fn standalone_in(view: &str, title: &str, night: bool) -> Option<String> {
    let body = between(SCENE_SVG, &format!("<!--view {view}-->"), "<!--/view-->")?
        .strip_prefix(format!("<g id=\"{view}\" class=\"v\">").as_str())?
        .strip_suffix("</g>")?;
    let night_body;
    // The daytime views only: dusk keeps its sky and its ground.
    let body = if night && body.contains("<use href=\"#sky\"/>") {
        night_body = body
            .replace("<use href=\"#sky\"/>", "<use href=\"#night\"/>")
            .replace("<use href=\"#ground\"/>", "<use href=\"#ground-n\"/>");
        night_body.as_str()
    } else {
        body
    };
    let mut out = String::with_capacity(8192);
    out.push_str(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 320 160\" role=\"img\" class=\"jauge__scene\"><title>",
    );
    out.push_str(&escape(title));
    out.push_str("</title>");
    expand_uses(body, &mut out, 0)?;
    out.push_str("</svg>");
    Some(out)
}

/// The text between `start` and `end`, after the first `start`.
#[cfg(feature = "host")]
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = from + text[from..].find(end)?;
    Some(&text[from..to])
}

/// A part's drawing: the inside of its `<g id="…">`.
#[cfg(feature = "host")]
fn part(name: &str) -> Option<&'static str> {
    let group = between(SCENE_SVG, &format!("<!--part {name}-->"), "<!--/part-->")?;
    let open = format!("<g id=\"{name}\">");
    group.strip_prefix(open.as_str())?.strip_suffix("</g>")
}

/// Writes `markup` with every `<use href="#part" …/>` replaced by the part it names (in a group
/// that keeps the use's transform). Parts nest a few levels at most.
#[cfg(feature = "host")]
fn expand_uses(markup: &str, out: &mut String, depth: u8) -> Option<()> {
    if depth > 4 {
        return None;
    }
    let mut rest = markup;
    while let Some(at) = rest.find("<use href=\"#") {
        out.push_str(&rest[..at]);
        let tag_end = at + rest[at..].find("/>")? + 2;
        let tag = &rest[at..tag_end];
        let name = between(tag, "href=\"#", "\"")?;
        match between(tag, "transform=\"", "\"") {
            Some(transform) => {
                out.push_str("<g transform=\"");
                out.push_str(transform);
                out.push_str("\">");
                expand_uses(part(name)?, out, depth + 1)?;
                out.push_str("</g>");
            }
            None => expand_uses(part(name)?, out, depth + 1)?,
        }
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    Some(())
}

/// Text for an SVG or HTML text node or attribute value.
#[cfg(feature = "host")]
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What the scene shows, for screen readers, in the reader's language: "The defenders stride
/// forward; the giants sweat and drop their data. 80% raised."
pub fn alt_text(scene: &Scene, locale: Locale, percent: &str) -> String {
    let words = jauge::words::scene::words(locale);
    // Ended short, the poses are those of the second stage (the defenders awake, the giants
    // uneasy), said with its sentence: the gauge's own texts say the campaign is over (a
    // sentence of its own in six languages would not fit the bundle's budget).
    let told = if scene.0 == 0 {
        words.before_start
    } else {
        [
            words.stage_0,
            words.stage_1,
            words.stage_2,
            words.stage_3,
            words.stage_4,
        ][usize::from(scene.defenders())]
    };
    let evening = if scene.final_hours() {
        words.evening
    } else {
        ""
    };
    words.alt(told, percent, evening)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jauge::StageThresholds;

    fn stage(percent: &str, left_hours: i64) -> Stage {
        Stage::of(
            &StageThresholds::default(),
            percent.parse().unwrap(),
            1,
            left_hours * 3600,
        )
    }

    #[test]
    fn poses_follow_every_threshold_and_the_final_hours() {
        let told = |percent: &str, hours: i64| {
            let s = scene(stage(percent, hours));
            (s.defenders(), s.final_hours(), s.view())
        };
        assert_eq!(told("24.99", 100), (0, false, "s0"));
        assert_eq!(told("25", 100), (1, false, "s1"));
        assert_eq!(told("50", 100), (2, false, "s2"));
        assert_eq!(told("50", 47), (2, true, "f2"));
        assert_eq!(told("75", 100), (3, false, "s3"));
        assert_eq!(told("100", 100), (4, false, "s4"));
        assert_eq!(told("137", 1), (4, true, "f4"));
        let before = scene(Stage::of(
            &StageThresholds::default(),
            jauge::Decimal::ZERO,
            -5,
            1_000_000,
        ));
        assert_eq!(before.view(), "b");
        assert!(scene(stage("100", 100)).celebration());
    }

    #[test]
    fn alt_texts_say_what_the_scene_shows_in_every_language() {
        for locale in Locale::ALL {
            let texts: Vec<String> = ["0", "30", "60", "80", "100"]
                .iter()
                .map(|p| alt_text(&scene(stage(p, 100)), locale, "x %"))
                .collect();
            for text in &texts {
                assert!(text.contains("x %"), "{text}");
            }
            let unique: std::collections::HashSet<&String> = texts.iter().collect();
            assert_eq!(unique.len(), 5, "{locale:?}: one sentence per stage");
            let evening = alt_text(&scene(stage("30", 10)), locale, "x %");
            assert_ne!(evening, texts[1], "{locale:?}: the last hours are said");
        }
    }

    #[cfg(feature = "host")]
    #[test]
    fn every_view_composes_into_one_self_contained_svg() {
        for view in VIEWS {
            let svg = standalone(view, "A <title> & more").unwrap();
            let document =
                roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{view}: {e}"));
            assert!(
                !svg.contains("<use") && !svg.contains(" id=\"") && !svg.contains("<style"),
                "{svg}"
            );
            assert_eq!(
                document.root_element().children().next().unwrap().text(),
                Some("A <title> & more")
            );
        }
        assert_eq!(standalone("s9", ""), None);
        // The views differ: each stage is its own picture.
        let s1 = standalone("s1", "").unwrap();
        assert_ne!(s1, standalone("s2", "").unwrap());
        assert_ne!(s1, standalone("f1", "").unwrap());
        assert_ne!(standalone("s3", "").unwrap(), standalone("e", "").unwrap());
        // At night: the sky and ground of the night, dusk kept.
        let night = standalone_in("s1", "", true).unwrap();
        assert_ne!(night, s1);
        assert!(
            night.contains("#1b2444") && !s1.contains("#1b2444"),
            "{night}"
        );
        assert!(
            standalone_in("f1", "", true) == standalone("f1", ""),
            "dusk stays dusk"
        );
    }

    #[test]
    fn a_campaign_ended_short_has_its_own_ending() {
        let ended = |percent: &str, phase_end: bool| {
            let stage = if phase_end {
                Stage::of(
                    &StageThresholds::default(),
                    percent.parse().unwrap(),
                    100,
                    -1,
                )
            } else {
                stage(percent, 100)
            };
            scene(stage)
        };
        let short = ended("80", true);
        assert_eq!(short.view(), "e");
        assert!(!short.celebration());
        assert_ne!(short.view(), ended("80", false).view());
        // Reached: the celebration stays.
        assert_eq!(ended("100", true).view(), "s4");
        for locale in Locale::ALL {
            let said = alt_text(&short, locale, "80 %");
            assert!(said.contains("80 %"), "{said}");
            assert_eq!(
                said,
                alt_text(&ended("30", false), locale, "80 %"),
                "the poses of stage 1"
            );
        }
    }
}
