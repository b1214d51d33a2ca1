//! The built-in illustration, as data: a "giant" and a small "defender" whose poses follow the
//! campaign's stage. No yew here: the scene component only maps these shapes to SVG, and the
//! same shapes serve the browser, the server-rendered snippet and the tests.
//!
//! Original artwork: simple geometric characters drawn for jauge.

use jauge::{Locale, Stage, StagePhase};

/// How the giant feels.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Mood {
    /// Grilling data skewers, unconcerned.
    Relaxed,
    /// Something is up.
    Uneasy,
    /// Worried.
    Worried,
    /// Sweating.
    Sweating,
    /// Running away.
    Fleeing,
}

impl Mood {
    /// The class that poses the giant (`art--worried`).
    pub fn class(self) -> &'static str {
        match self {
            Mood::Relaxed => "art--relaxed",
            Mood::Uneasy => "art--uneasy",
            Mood::Worried => "art--worried",
            Mood::Sweating => "art--sweating",
            Mood::Fleeing => "art--fleeing",
        }
    }
}

/// How the defender stands.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Pose {
    /// Asleep.
    Asleep,
    /// Waking up.
    Waking,
    /// Standing.
    Standing,
    /// Cheering, arms up.
    Cheering,
}

impl Pose {
    /// The class that poses the defender (`art--standing`).
    pub fn class(self) -> &'static str {
        match self {
            Pose::Asleep => "art--asleep",
            Pose::Waking => "art--waking",
            Pose::Standing => "art--standing",
            Pose::Cheering => "art--cheering",
        }
    }
}

/// One shape of the drawing, in the 320 × 160 scene: an SVG path (circles and ellipses written
/// as arcs) and the class that colours it. Static data: nothing is formatted at run time, and
/// the component maps the one kind of shape to one element.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Shape {
    /// An SVG path.
    Path {
        /// Its path data.
        d: &'static str,
        /// Its class.
        class: &'static str,
    },
}

/// The whole scene for a stage.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Scene {
    /// The giant's mood.
    pub mood: Mood,
    /// The defender's pose.
    pub pose: Pose,
    /// Confetti: the goal is reached.
    pub celebration: bool,
    /// The giant's shapes.
    pub giant: Vec<Shape>,
    /// The defender's shapes.
    pub defender: Vec<Shape>,
    /// Confetti shapes, when celebrating.
    pub confetti: Vec<Shape>,
}

/// The scene for a stage: progress sets the moods (the giant grows worried as donations rise,
/// the defender comes alive), the phase adjusts them (nobody is awake before the start; the goal
/// reached at the end is celebrated).
pub fn scene(stage: Stage) -> Scene {
    let (mut mood, mut pose) = match stage.threshold() {
        0..=24 => (Mood::Relaxed, Pose::Asleep),
        25..=49 => (Mood::Uneasy, Pose::Waking),
        50..=74 => (Mood::Worried, Pose::Standing),
        75..=99 => (Mood::Sweating, Pose::Standing),
        _ => (Mood::Fleeing, Pose::Cheering),
    };
    if stage.phase() == StagePhase::NotStarted {
        (mood, pose) = (Mood::Relaxed, Pose::Asleep);
    }
    // In the final hours, the giant feels it one step earlier.
    if stage.phase() == StagePhase::FinalHours && mood == Mood::Worried {
        mood = Mood::Sweating;
    }
    let celebration = stage.threshold() >= 100 && stage.phase() != StagePhase::NotStarted;
    Scene {
        mood,
        pose,
        celebration,
        giant: giant(mood),
        defender: defender(pose),
        confetti: if celebration { confetti() } else { Vec::new() },
    }
}

fn giant(mood: Mood) -> Vec<Shape> {
    use Shape::*;
    let mut shapes = vec![
        Path {
            d: "M174 96a58 54 0 1 0 116 0a58 54 0 1 0 -116 0Z",
            class: "art__giant-body",
        },
        Path {
            d: "M192 132a40 14 0 1 0 80 0a40 14 0 1 0 -80 0Z",
            class: "art__giant-belly",
        },
        Path {
            d: "M205 80a9 9 0 1 0 18 0a9 9 0 1 0 -18 0Z",
            class: "art__eye",
        },
        Path {
            d: "M241 80a9 9 0 1 0 18 0a9 9 0 1 0 -18 0Z",
            class: "art__eye",
        },
        Path {
            d: "M212 82a4 4 0 1 0 8 0a4 4 0 1 0 -8 0Z",
            class: "art__pupil",
        },
        Path {
            d: "M248 82a4 4 0 1 0 8 0a4 4 0 1 0 -8 0Z",
            class: "art__pupil",
        },
    ];
    let (brows, mouth): (&'static str, &'static str) = match mood {
        Mood::Relaxed => (
            "M202 66 L224 66 M240 66 L262 66",
            "M214 104 Q232 118 250 104",
        ),
        Mood::Uneasy => ("M202 68 L224 64 M240 66 L262 66", "M216 108 L248 108"),
        Mood::Worried => (
            "M202 64 L224 70 M240 70 L262 64",
            "M214 112 Q232 100 250 112",
        ),
        Mood::Sweating | Mood::Fleeing => (
            "M202 62 L224 70 M240 70 L262 62",
            "M216 114 Q232 98 248 114",
        ),
    };
    shapes.push(Path {
        d: brows,
        class: "art__line",
    });
    shapes.push(Path {
        d: mouth,
        class: "art__line",
    });
    match mood {
        Mood::Relaxed | Mood::Uneasy => {
            // The skewer of data the giant grills: a stick with squares (data) on it.
            shapes.push(Path {
                d: "M150 120 L196 100",
                class: "art__stick",
            });
            shapes.push(Path {
                d: "M156 112 h8 v8 h-8 Z M168 107 h8 v8 h-8 Z M180 102 h8 v8 h-8 Z",
                class: "art__data",
            });
            shapes.push(Path {
                d: "M146 142 L200 142 M154 142 L160 128 M192 142 L186 128",
                class: "art__grill",
            });
        }
        Mood::Worried => shapes.push(Path {
            d: "M196 100 L180 120",
            class: "art__stick",
        }),
        Mood::Sweating | Mood::Fleeing => {
            shapes.push(Path {
                d: "M272 70 q5 9 0 13 q-5 -4 0 -13 Z",
                class: "art__sweat",
            });
            shapes.push(Path {
                d: "M284 92 q5 9 0 13 q-5 -4 0 -13 Z",
                class: "art__sweat",
            });
        }
    }
    if mood == Mood::Fleeing {
        shapes.push(Path {
            d: "M190 150 l-24 4 M198 158 l-28 2",
            class: "art__speed",
        });
    }
    shapes
}

fn defender(pose: Pose) -> Vec<Shape> {
    use Shape::*;
    let mut shapes = vec![
        Path {
            d: "M48 120a28 26 0 1 0 56 0a28 26 0 1 0 -56 0Z",
            class: "art__defender-body",
        },
        Path {
            d: "M60 98 q16 -22 32 0",
            class: "art__defender-hat",
        },
    ];
    match pose {
        Pose::Asleep => {
            shapes.push(Path {
                d: "M64 116 q5 4 10 0 M80 116 q5 4 10 0",
                class: "art__line",
            });
            shapes.push(Path {
                d: "M100 86h9l-9 10h9M110 74h9l-9 10h9",
                class: "art__z",
            });
        }
        Pose::Waking => {
            shapes.push(Path {
                d: "M64 116 h10 M80 116 h10",
                class: "art__line",
            });
            shapes.push(Path {
                d: "M67 118a2 2 0 1 0 4 0a2 2 0 1 0 -4 0Z",
                class: "art__pupil",
            });
            shapes.push(Path {
                d: "M83 118a2 2 0 1 0 4 0a2 2 0 1 0 -4 0Z",
                class: "art__pupil",
            });
        }
        Pose::Standing | Pose::Cheering => {
            shapes.push(Path {
                d: "M63 116a5 5 0 1 0 10 0a5 5 0 1 0 -10 0Z",
                class: "art__eye",
            });
            shapes.push(Path {
                d: "M81 116a5 5 0 1 0 10 0a5 5 0 1 0 -10 0Z",
                class: "art__eye",
            });
            shapes.push(Path {
                d: "M67 117a2 2 0 1 0 4 0a2 2 0 1 0 -4 0Z",
                class: "art__pupil",
            });
            shapes.push(Path {
                d: "M85 117a2 2 0 1 0 4 0a2 2 0 1 0 -4 0Z",
                class: "art__pupil",
            });
            shapes.push(Path {
                d: "M68 130 q9 8 18 0",
                class: "art__line",
            });
        }
    }
    let arms = match pose {
        Pose::Asleep | Pose::Waking => "M50 128 l-8 8 M102 128 l8 8",
        Pose::Standing => "M50 124 l-12 -4 M102 124 l14 -10",
        Pose::Cheering => "M52 110 l-12 -18 M100 110 l12 -18",
    };
    shapes.push(Path {
        d: arms,
        class: "art__arm",
    });
    shapes
}

fn confetti() -> Vec<Shape> {
    vec![
        Shape::Path {
            d: "M116 30a4 4 0 1 0 8 0a4 4 0 1 0 -8 0ZM162 60a4 4 0 1 0 8 0a4 4 0 1 0 -8 0Z",
            class: "art__confetti-a",
        },
        Shape::Path {
            d: "M146 18a4 4 0 1 0 8 0a4 4 0 1 0 -8 0ZM132 52a4 4 0 1 0 8 0a4 4 0 1 0 -8 0Z",
            class: "art__confetti-b",
        },
        Shape::Path {
            d: "M176 36a4 4 0 1 0 8 0a4 4 0 1 0 -8 0ZM96 44a4 4 0 1 0 8 0a4 4 0 1 0 -8 0Z",
            class: "art__confetti-c",
        },
    ]
}

/// What the scene shows, for screen readers: "The giant is starting to sweat and the defender
/// stands up: 62% raised."
pub fn alt_text(scene: &Scene, locale: Locale, percent: &str) -> String {
    let (giant, defender, pattern) = match locale {
        Locale::En => (
            [
                "The relaxed giant grills data skewers",
                "The giant looks uneasy",
                "The giant is worried",
                "The giant is starting to sweat",
                "The giant runs away",
            ],
            [
                "the defender is asleep",
                "the defender wakes up",
                "the defender stands up",
                "the defender cheers",
            ],
            "{giant} and {defender}: {percent} raised.",
        ),
        Locale::Fr => (
            [
                "Le géant, serein, grille des brochettes de données",
                "Le géant semble mal à l’aise",
                "Le géant s’inquiète",
                "Le géant commence à transpirer",
                "Le géant prend la fuite",
            ],
            [
                "le défenseur dort",
                "le défenseur se réveille",
                "le défenseur se lève",
                "le défenseur exulte",
            ],
            "{giant} et {defender}\u{a0}: {percent} collectés.",
        ),
        Locale::De => (
            [
                "Der Riese grillt gelassen Datenspieße",
                "Der Riese wirkt beunruhigt",
                "Der Riese macht sich Sorgen",
                "Der Riese kommt ins Schwitzen",
                "Der Riese ergreift die Flucht",
            ],
            [
                "der kleine Verteidiger schläft",
                "der kleine Verteidiger wacht auf",
                "der kleine Verteidiger steht auf",
                "der kleine Verteidiger jubelt",
            ],
            "{giant}, und {defender}: {percent} gesammelt.",
        ),
        Locale::Es => (
            [
                "El gigante, tranquilo, asa brochetas de datos",
                "El gigante parece inquieto",
                "El gigante está preocupado",
                "El gigante empieza a sudar",
                "El gigante huye",
            ],
            [
                "el defensor duerme",
                "el defensor se despierta",
                "el defensor se levanta",
                "el defensor lo celebra",
            ],
            "{giant} y {defender}: {percent} recaudado.",
        ),
        Locale::It => (
            [
                "Il gigante, tranquillo, griglia spiedini di dati",
                "Il gigante sembra a disagio",
                "Il gigante è preoccupato",
                "Il gigante comincia a sudare",
                "Il gigante scappa",
            ],
            [
                "il difensore dorme",
                "il difensore si sveglia",
                "il difensore si alza",
                "il difensore esulta",
            ],
            "{giant} e {defender}: {percent} raccolto.",
        ),
        Locale::Nl => (
            [
                "De reus grilt rustig dataspiesjes",
                "De reus lijkt ongerust",
                "De reus maakt zich zorgen",
                "De reus begint te zweten",
                "De reus slaat op de vlucht",
            ],
            [
                "de verdediger slaapt",
                "de verdediger wordt wakker",
                "de verdediger staat op",
                "de verdediger juicht",
            ],
            "{giant} en {defender}: {percent} opgehaald.",
        ),
    };
    let mood = match scene.mood {
        Mood::Relaxed => 0,
        Mood::Uneasy => 1,
        Mood::Worried => 2,
        Mood::Sweating => 3,
        Mood::Fleeing => 4,
    };
    let pose = match scene.pose {
        Pose::Asleep => 0,
        Pose::Waking => 1,
        Pose::Standing => 2,
        Pose::Cheering => 3,
    };
    pattern
        .replace("{giant}", giant[mood])
        .replace("{defender}", defender[pose])
        .replace("{percent}", percent)
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
    fn moods_and_poses_follow_every_threshold() {
        let told = |percent: &str, hours: i64| {
            let s = scene(stage(percent, hours));
            (s.mood, s.pose, s.celebration)
        };
        assert_eq!(told("24.99", 100), (Mood::Relaxed, Pose::Asleep, false));
        assert_eq!(told("25", 100), (Mood::Uneasy, Pose::Waking, false));
        assert_eq!(told("50", 100), (Mood::Worried, Pose::Standing, false));
        assert_eq!(told("50", 47), (Mood::Sweating, Pose::Standing, false));
        assert_eq!(told("75", 100), (Mood::Sweating, Pose::Standing, false));
        assert_eq!(told("100", 100), (Mood::Fleeing, Pose::Cheering, true));
        assert_eq!(told("137", 0), (Mood::Fleeing, Pose::Cheering, true));
        let before = scene(Stage::of(
            &StageThresholds::default(),
            "60".parse().unwrap(),
            -5,
            1_000_000,
        ));
        assert_eq!((before.mood, before.pose), (Mood::Relaxed, Pose::Asleep));
    }

    #[test]
    fn alt_text_in_every_locale() {
        let s = scene(stage("62", 100));
        let texts: Vec<String> = Locale::ALL
            .iter()
            .map(|&l| alt_text(&s, l, &l.format_percent(62)))
            .collect();
        assert_eq!(
            texts[0],
            "The giant is worried and the defender stands up: 62% raised."
        );
        assert_eq!(
            texts[1],
            "Le géant s’inquiète et le défenseur se lève\u{a0}: 62\u{a0}% collectés."
        );
        let mut unique = texts.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 6);
    }
}
