//! What the gauge shows, computed from a status document, a language and an instant. No yew
//! here: the components only map these values to HTML and SVG, and the same values serve the
//! browser, the server-rendered snippet and the tests.

use chrono::{DateTime, Utc};
use jauge::{Headline, Locale, Phase, Quantity, StatusDocument, TimeUnit};

/// How much room the embedder gives the gauge.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Size {
    /// A support page: everything.
    #[default]
    Full,
    /// A blog post's column: bar, headline figures, countdown.
    Compact,
    /// A one-line strip.
    Bar,
}

impl Size {
    /// Reads `full`, `compact` or `bar`; anything else is the default.
    pub fn parse(text: &str) -> Size {
        match text.trim() {
            "compact" => Size::Compact,
            "bar" => Size::Bar,
            _ => Size::Full,
        }
    }

    /// The name [`Size::parse`] reads (`data-size`).
    pub fn name(self) -> &'static str {
        match self {
            Size::Full => "full",
            Size::Compact => "compact",
            Size::Bar => "bar",
        }
    }

    /// The class name.
    pub fn class(self) -> &'static str {
        match self {
            Size::Full => "jauge--full",
            Size::Compact => "jauge--compact",
            Size::Bar => "jauge--bar",
        }
    }
}

/// The colour scheme.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Theme {
    /// Follow the visitor's preference.
    #[default]
    Auto,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

impl Theme {
    /// Reads `light`, `dark` or `auto`; anything else is `auto`.
    pub fn parse(text: &str) -> Theme {
        match text.trim() {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::Auto,
        }
    }

    /// The name [`Theme::parse`] reads (`data-theme`).
    pub fn name(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The class name.
    pub fn class(self) -> &'static str {
        match self {
            Theme::Auto => "jauge--auto",
            Theme::Light => "jauge--light",
            Theme::Dark => "jauge--dark",
        }
    }
}

/// Where the campaign stands, for styling and wording.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum State {
    /// Before the start.
    NotStarted,
    /// Running, more than a day left.
    Running,
    /// The last 24 hours.
    LastDay,
    /// The last hour.
    LastHour,
    /// Goal reached exactly, before the deadline.
    Reached,
    /// Past the goal.
    Over,
    /// After the deadline.
    Ended,
}

impl State {
    /// The class name.
    pub fn class(self) -> &'static str {
        match self {
            State::NotStarted => "jauge--not-started",
            State::Running => "jauge--running",
            State::LastDay => "jauge--last-day",
            State::LastHour => "jauge--last-hour",
            State::Reached => "jauge--reached",
            State::Over => "jauge--over",
            State::Ended => "jauge--ended",
        }
    }
}

/// A milestone on the bar.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Marker {
    /// Position along the bar, in hundredths of a percent (0 to 10,000).
    pub position: u32,
    /// Its label.
    pub label: String,
    /// Its amount, formatted.
    pub amount: String,
    /// Whether it is reached.
    pub reached: bool,
}

/// The bar beyond the goal: progress from the goal toward the next stretch milestone.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Stretch {
    /// Its fill, in hundredths of a percent from the goal to the milestone.
    pub fill: u32,
    /// "Stretch: a new online service (€230,000)".
    pub label: String,
}

/// Everything the gauge shows, ready to print.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct GaugeView {
    /// The state.
    pub state: State,
    /// The campaign's name.
    pub name: String,
    /// What counts toward the goal, whole units rounded down (`€128,602`, `1,234 donors`).
    pub raised: String,
    /// The words between it and the goal ("raised of"; "of" for a goal in donors or gifts).
    pub of: String,
    /// Each matching pledge, apart from what donors gave ("Fondation X matches gifts: €5,000").
    pub matched: Vec<String>,
    /// The goal.
    pub goal: String,
    /// Still to raise, whole units rounded up; or the surplus once reached.
    pub remaining: String,
    /// The label after `remaining` ("still to raise", "beyond the goal").
    pub remaining_label: &'static str,
    /// The display percentage (`64%`, `137 %`).
    pub percent: String,
    /// The floored percentage, for `aria-valuenow`.
    pub percent_value: u64,
    /// The money bar's fill, in hundredths of a percent of the bar, whose full width is the
    /// goal.
    pub fill: u32,
    /// The stretch bar, once the goal is passed and the campaign has milestones beyond it.
    pub stretch: Option<Stretch>,
    /// The label at the money bar's end: "goal €200,000".
    pub goal_mark: String,
    /// The time bar's fill: how much of the campaign's time has passed.
    pub time_fill: u32,
    /// The countdown ("5 days", "3 hours", "ended").
    pub time_left: String,
    /// The label with the countdown ("left", "starts in"), empty once ended.
    pub time_label: String,
    /// Whether the label goes before the countdown ("starts in 12 days") or after ("5 days left").
    pub label_first: bool,
    /// "2,417 donors"; the money raised ("€45,210 raised") for a goal in donors or gifts.
    pub donors: String,
    /// Milestones on the money bar: those below the goal.
    pub markers: Vec<Marker>,
    /// "Next milestone: Budget balanced (€200,000)", in three parts: before the label, the
    /// label, after it.
    pub next: Option<[String; 3]>,
    /// The language of the next milestone's label when it is not the gauge's (the campaign
    /// gave none in the gauge's language): its `lang`.
    pub next_lang: Option<&'static str>,
    /// The appeal sentence, with the countdown at the instant shown.
    pub appeal: String,
    /// The headline when the goal is reached.
    pub reached_note: Option<&'static str>,
    /// For screen readers: "€128,602 raised of €200,000, 5 days left".
    pub value_text: String,
    /// "Donation gauge: Framasoft 2023".
    pub aria_label: String,
    /// The bar's label for money, and for time.
    pub bar_labels: (&'static str, &'static str),
    /// The illustration for the campaign's stage at this instant.
    pub scene: crate::art::Scene,
    /// What the illustration shows, for screen readers.
    pub scene_alt: String,
    /// The drawing's URL beside the status document (`scene.svg?v=…`), which the live gauge
    /// loads after its first paint; none where the page allows no image from there.
    pub scene_src: Option<String>,
    /// The campaign's own image for this stage, when it has one the image policy allows.
    pub image: Option<ImageView>,
    /// The way to give, when the campaign names its donation page.
    pub donate: Option<DonateLink>,
}

/// The donate button: where it leads and what it says, in the visitor's language.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DonateLink {
    /// The donation page (checked as an http(s) address when the document was read).
    pub url: String,
    /// "Donate", "Faire un don"…, or the campaign's own label.
    pub label: String,
}

/// A campaign's own image, ready to show.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ImageView {
    /// The URL to load.
    pub src: String,
    /// Reserved width.
    pub width: u32,
    /// Reserved height.
    pub height: u32,
    /// `jauge__image--top`, `--left` or `--right`.
    pub class: &'static str,
    /// What it shows, in the visitor's language (else English, else the built-in sentence).
    pub alt: String,
}

/// Where a gauge may load campaign images from.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct ImagePolicy {
    /// The status document's URL as the page gives it (`/campaign/status.json`), against which
    /// relative image URLs resolve; none for an inline document (they resolve against the page).
    pub base: Option<String>,
    /// Other origins allowed explicitly (`https://cdn.example.org`).
    pub origins: Vec<String>,
}

fn origin_of(url: &str) -> Option<&str> {
    // A byte window rather than `split_once("://")`: str's two-way searcher is 400 bytes of the
    // browser bundle for this one three-byte needle.
    let scheme = url.as_bytes().windows(3).position(|w| w == b"://")?;
    let host = scheme + 3;
    let host_end = url[host..].find('/').map_or(url.len(), |end| host + end);
    url.get(..host_end)
}

/// The URL to load for image `src` under `policy`, or `None` if it is not allowed: relative
/// URLs (same origin as the status document) always are, absolute ones only from the status
/// document's own origin or an origin allowed explicitly.
pub fn resolve_image(src: &str, policy: &ImagePolicy) -> Option<String> {
    let src = src.trim();
    if src.is_empty()
        || src.starts_with("//")
        || src.starts_with("data:")
        || src.starts_with("javascript:")
    {
        return None;
    }
    if let Some(origin) = origin_of(src) {
        let same = policy.base.as_deref().and_then(origin_of) == Some(origin);
        let listed = policy
            .origins
            .iter()
            .any(|o| o.trim_end_matches('/') == origin);
        let web = src.starts_with("https://") || src.starts_with("http://");
        return (web && (same || listed)).then(|| src.to_owned());
    }
    match policy.base.as_deref() {
        Some(_) if src.starts_with('/') => Some(src.to_owned()),
        Some(base) => {
            let folder = &base[..base.rfind('/').map_or(0, |i| i + 1)];
            Some(format!("{folder}{src}"))
        }
        None => Some(src.to_owned()),
    }
}

/// `part / whole` in hundredths of a percent, floored and clamped to the bar.
///
/// Exact, on the decimals' integer mantissas: rust_decimal's division engine would add 2.7 KB
/// gzip to the browser bundle for one ratio.
fn permyriad(part: jauge::Decimal, whole: jauge::Decimal) -> u32 {
    if part <= jauge::Decimal::ZERO || whole <= jauge::Decimal::ZERO {
        return 0;
    }
    // part / whole = (p / 10^ps) / (w / 10^ws) = (p * 10^ws) / (w * 10^ps): scale up only the
    // side with fewer decimals.
    let (p, w) = (
        part.mantissa().unsigned_abs(),
        whole.mantissa().unsigned_abs(),
    );
    let (ps, ws) = (part.scale(), whole.scale());
    let numerator = 10u128
        .checked_pow(ws.saturating_sub(ps))
        .and_then(|scale| p.checked_mul(scale))
        .and_then(|n| n.checked_mul(u128::from(BAR_STEPS)));
    let denominator = 10u128
        .checked_pow(ps.saturating_sub(ws))
        .and_then(|scale| w.checked_mul(scale));
    match (numerator, denominator) {
        // Only the scaled-up side can overflow, and the other is then below 2^110 (mantissas
        // are under 2^96): an overflowing numerator is a full bar, an overflowing denominator
        // an empty one.
        (None, _) => BAR_STEPS,
        (_, None) => 0,
        // At most BAR_STEPS after `min`, so the narrowing keeps every value.
        (Some(n), Some(d)) => (n / d).min(u128::from(BAR_STEPS)) as u32,
    }
}

/// The bar's resolution, hundredths of a percent: positions run from 0 to this, which is also
/// the bar's width in SVG units.
pub const BAR_STEPS: u32 = 10_000;

/// The gauge for `status` in `locale` at `now` (the visitor's clock, corrected): the countdown
/// keeps ticking after the document was written.
pub fn gauge_view(status: &StatusDocument, locale: Locale, now: DateTime<Utc>) -> GaugeView {
    gauge_view_with(status, locale, now, &ImagePolicy::default())
}

/// [`gauge_view`], with the policy for the campaign's own images.
pub fn gauge_view_with(
    status: &StatusDocument,
    locale: Locale,
    now: DateTime<Utc>,
    policy: &ImagePolicy,
) -> GaugeView {
    let words = jauge::words::gauge::words(locale);
    let campaign = status.campaign();
    let left = status.time_left_at(now);
    let start = campaign.start.with_timezone(&Utc);
    let deadline = campaign.deadline.with_timezone(&Utc);
    let state = if now < start {
        State::NotStarted
    } else if left.is_ended() || status.phase() == Phase::Ended {
        State::Ended
    } else if status.percent_display() > 100 || !status.surplus().is_zero() {
        State::Over
    } else if status.reached() {
        State::Reached
    } else if matches!(left.unit(), TimeUnit::Minutes) {
        State::LastHour
    } else if matches!(left.unit(), TimeUnit::Hours) {
        State::LastDay
    } else {
        State::Running
    };
    let goal = campaign.goal;
    // The goal is the bar's full width, so the fill agrees with the percentage read beside it;
    // milestones past the goal (stretch goals) get a bar of their own once the goal is passed.
    // Money, donors, gifts or money a month: the bar is of what the goal counts.
    let scale = goal.value();
    let whole = |q: &Quantity| q.format(locale, Headline::Up);
    let markers = status
        .milestones()
        .iter()
        .filter(|m| m.amount.value() < scale)
        .map(|m| Marker {
            position: permyriad(m.amount.value(), scale),
            label: m.label.get(locale).to_owned(),
            amount: whole(&m.amount),
            reached: m.reached,
        })
        .collect();
    let progress = status.progress();
    let progress_value = progress.value();
    let stretches: Vec<_> = status
        .milestones()
        .iter()
        .filter(|m| m.amount.value() > scale)
        .collect();
    let stretch = (progress_value > scale)
        .then(|| {
            let target = stretches
                .iter()
                .find(|m| m.amount.value() > progress_value)
                .or(stretches.last())?;
            Some(Stretch {
                fill: permyriad(progress.beyond(&goal)?, target.amount.beyond(&goal)?),
                label: format!("{} ({})", target.label.get(locale), whole(&target.amount)),
            })
        })
        .flatten();
    let (time_left, time_label) = match state {
        State::Ended => (left.phrase(locale), String::new()),
        State::NotStarted => (
            jauge::TimeLeft::from_seconds((start - now).num_seconds()).phrase_after_in(locale),
            words.starts.to_owned(),
        ),
        // "left" agrees with the unit and the count where the language wants it ("7 semaines
        // restantes", "1 día restante").
        _ => (
            left.phrase(locale),
            words.left(left.unit().name(), u64::from(left.count())),
        ),
    };
    let counts = status.measure().is_count();
    let (remaining, remaining_label) = if status.reached() {
        (
            status.surplus().format(locale, Headline::Down),
            words.beyond,
        )
    } else {
        (
            status.remaining().format(locale, Headline::Up),
            if counts { words.to_go } else { words.to_raise },
        )
    };
    let donors = status.donors();
    let money_raised = locale.format_headline(status.raised(), Headline::Down);
    // A goal in donors or gifts heads with that count ("1,234 donors of 2,000 donors"); the
    // money then takes the line the donors have under a goal in money.
    let (raised, of, donors) = if counts {
        (
            progress.format(locale, Headline::Down),
            words.of.to_owned(),
            format!("{money_raised} {}", words.raised),
        )
    } else {
        (
            progress.format(locale, Headline::Down),
            format!("{} {}", words.raised, words.of),
            format!("{} {}", locale.format_count(donors), words.donor(donors)),
        )
    };
    let goal_text = whole(&goal);
    let value_text = match state {
        State::Ended => format!("{raised} {of} {goal_text}, {time_left}"),
        State::NotStarted => format!("{raised} {of} {goal_text}, {} {time_left}", words.starts),
        // What a screen reader hears says what the screen shows: the same agreeing word.
        _ => format!("{raised} {of} {goal_text}, {time_left} {time_label}"),
    };
    let matched = status
        .matching()
        .iter()
        .filter(|m| !m.amount.is_zero())
        .map(|m| {
            words.matched(
                &m.sponsor,
                &locale.format_headline(m.amount, Headline::Down),
            )
        })
        .collect();
    let total = (deadline - start).num_seconds().max(1);
    let elapsed = (now - start).num_seconds().clamp(0, total);
    let stage = status.stage_at(now);
    let scene = crate::art::scene(stage);
    let scene_alt = crate::art::alt_text(
        &scene,
        locale,
        &locale.format_percent(status.percent_display().min(i64::MAX as u64) as i64),
    );
    let image = jauge::Illustration::choose(&campaign.illustrations, stage).and_then(|chosen| {
        Some(ImageView {
            src: resolve_image(&chosen.src, policy)?,
            width: chosen.width,
            height: chosen.height,
            class: match chosen.position.as_deref() {
                Some("left") => "jauge__image--left",
                Some("right") => "jauge__image--right",
                _ => "jauge__image--top",
            },
            alt: chosen
                .alt
                .get(&locale)
                .or_else(|| chosen.alt.get(&Locale::En))
                .cloned()
                .unwrap_or_else(|| scene_alt.clone()),
        })
    });
    GaugeView {
        image,
        scene,
        scene_alt,
        scene_src: resolve_image(
            &format!(
                "{}?v={:08x}",
                crate::art::SCENE_FILE,
                crate::art::SCENE_VERSION
            ),
            policy,
        ),
        state,
        name: campaign.name.get(locale).to_owned(),
        raised,
        of,
        matched,
        goal: goal_text.clone(),
        remaining,
        remaining_label,
        percent: locale.format_percent(status.percent_display().min(i64::MAX as u64) as i64),
        percent_value: status.percent_display(),
        fill: permyriad(progress_value, scale),
        stretch,
        goal_mark: format!("{} {}", words.goal, goal_text),
        time_fill: permyriad(elapsed.into(), total.into()),
        time_left,
        time_label,
        label_first: state == State::NotStarted,
        donors,
        markers,
        next: status.next_milestone().map(|m| {
            [
                format!("{}{} ", words.next, words.colon),
                m.label.get(locale).to_owned(),
                format!(" ({})", whole(&m.amount)),
            ]
        }),
        next_lang: status
            .next_milestone()
            .and_then(|m| m.label.borrowed_language(locale))
            .map(Locale::tag),
        appeal: status.appeal_with(locale, left),
        reached_note: matches!(state, State::Reached | State::Over).then_some(words.reached),
        value_text,
        aria_label: format!(
            "{}{} {}",
            words.gauge,
            words.colon,
            campaign.name.get(locale)
        ),
        donate: campaign.donate.as_ref().map(|donate| DonateLink {
            url: donate.url.get(locale).to_owned(),
            label: donate
                .label
                .as_ref()
                .and_then(|label| label.own(locale))
                .unwrap_or(words.donate)
                .to_owned(),
        }),
        bar_labels: (words.money_raised, words.time_elapsed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn left_agrees_with_the_unit_and_the_count() {
        let told = |locale, seconds: i64| {
            let left = jauge::TimeLeft::from_seconds(seconds);
            format!(
                "{} {}",
                left.phrase(locale),
                jauge::words::gauge::words(locale).left(left.unit().name(), left.count().into())
            )
        };
        assert_eq!(told(Locale::Fr, 86_400 + 60), "1 jour restant");
        assert_eq!(told(Locale::Fr, 5 * 86_400), "5 jours restants");
        assert_eq!(told(Locale::Fr, 3_600 + 60), "1 heure restante");
        assert_eq!(told(Locale::Fr, 5 * 3_600), "5 heures restantes");
        assert_eq!(told(Locale::Es, 86_400 + 60), "1 día restante");
        assert_eq!(told(Locale::Es, 5 * 86_400), "5 días restantes");
        assert_eq!(told(Locale::En, 86_400 + 60), "1 day left");
        assert_eq!(told(Locale::Fr, 7 * 7 * 86_400), "sept semaines restantes");
        assert_eq!(told(Locale::Fr, 2 * 7 * 86_400), "deux semaines restantes");
        assert_eq!(told(Locale::It, 86_400 + 60), "1 giorno rimanente");
        assert_eq!(told(Locale::It, 5 * 86_400), "5 giorni rimanenti");
    }

    #[test]
    fn permyriad_is_exact_and_clamped() {
        let d = |n: i64| jauge::Decimal::from(n);
        assert_eq!(permyriad(d(1), d(3)), 3333);
        assert_eq!(permyriad(d(5), d(4)), 10_000);
        assert_eq!(permyriad(d(-1), d(4)), 0);
        assert_eq!(permyriad(d(1), d(0)), 0);
        // Seconds of the campaign, as the time bar passes them.
        let counts = |part: i64, whole: i64| permyriad(part.into(), whole.into());
        assert_eq!(counts(1, 3), 3333);
        assert_eq!(counts(7, 7), 10_000);
        assert_eq!(counts(-5, 7), 0);
        assert_eq!(counts(5, 0), 0);
        assert_eq!(counts(i64::MAX, i64::MAX), 10_000);
    }

    /// The integer ratio agrees with rust_decimal's division everywhere, extremes included.
    #[test]
    fn permyriad_agrees_with_decimal_division() {
        use jauge::Decimal;
        let reference = |part: Decimal, whole: Decimal| -> u32 {
            if part <= Decimal::ZERO || whole <= Decimal::ZERO {
                return 0;
            }
            match part
                .checked_mul(Decimal::from(10_000))
                .and_then(|n| n.checked_div(whole))
            {
                Some(ratio) => ratio
                    .floor()
                    .min(Decimal::from(10_000))
                    .to_string()
                    .parse()
                    .unwrap(),
                None => 10_000,
            }
        };
        let values = [
            Decimal::new(1, 0),
            Decimal::new(1, 28),
            Decimal::new(12_860_242, 2),
            Decimal::new(20_000_000, 2),
            Decimal::new(200_000, 0),
            Decimal::new(2_000_000_000, 4),
            Decimal::new(333, 1),
            Decimal::new(1_000, 3),
            Decimal::MAX,
            Decimal::from_i128_with_scale(79_228_162_514_264_337_593_543_950_335, 28),
            Decimal::new(-5, 0),
            Decimal::ZERO,
        ];
        for &part in &values {
            for &whole in &values {
                assert_eq!(
                    permyriad(part, whole),
                    reference(part, whole),
                    "{part} / {whole}"
                );
            }
        }
    }

    #[test]
    fn image_policy() {
        let policy = ImagePolicy {
            base: Some("/campaign/status.json".into()),
            origins: vec!["https://cdn.example.org".into()],
        };
        assert_eq!(
            resolve_image("art/a.svg", &policy).as_deref(),
            Some("/campaign/art/a.svg")
        );
        assert_eq!(
            resolve_image("/art/a.svg", &policy).as_deref(),
            Some("/art/a.svg")
        );
        assert_eq!(
            resolve_image("https://cdn.example.org/a.png", &policy).as_deref(),
            Some("https://cdn.example.org/a.png")
        );
        assert_eq!(
            resolve_image("https://tracker.example.com/a.png", &policy),
            None
        );
        assert_eq!(resolve_image("//tracker.example.com/a.png", &policy), None);
        assert_eq!(resolve_image("javascript:alert(1)", &policy), None);
        let remote = ImagePolicy {
            base: Some("https://stats.example.org/x/status.json".into()),
            origins: vec![],
        };
        assert_eq!(
            resolve_image("https://stats.example.org/art.webp", &remote).as_deref(),
            Some("https://stats.example.org/art.webp")
        );
        assert_eq!(
            resolve_image("art.webp", &remote).as_deref(),
            Some("https://stats.example.org/x/art.webp")
        );
        assert_eq!(
            resolve_image("art.webp", &ImagePolicy::default()).as_deref(),
            Some("art.webp")
        );
    }

    #[test]
    fn sizes_and_themes_parse_leniently() {
        for size in [Size::Full, Size::Compact, Size::Bar] {
            assert_eq!(Size::parse(size.name()), size);
        }
        for theme in [Theme::Auto, Theme::Light, Theme::Dark] {
            assert_eq!(Theme::parse(theme.name()), theme);
        }
        assert_eq!(Size::parse("compact"), Size::Compact);
        assert_eq!(Size::parse("huge"), Size::Full);
        assert_eq!(Theme::parse("dark"), Theme::Dark);
        assert_eq!(Theme::parse(""), Theme::Auto);
    }
}
