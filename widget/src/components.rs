//! The gauge's components: they map a [`GaugeView`] to HTML and SVG, nothing more.
//!
//! Only the gauge is a component (so that server rendering can mount it); the bar, the scene and
//! the fallback are functions it calls, and the live gauge's root calls the gauge's body the same
//! way. Each component type brings its own copy of yew's lifecycle into the browser bundle
//! (0.6 to 1.7 KB gzip each, measured in the guide's size table), and none of these holds
//! state a component would hold better: what the gauge keeps between renders is in
//! `use_gauge_memory`.
//!
//! No inline `style` attribute anywhere: the bar is SVG whose geometry is set by attributes, so
//! the gauge works under a Content-Security-Policy without `'unsafe-inline'`.

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use jauge::{Locale, StatusDocument};
use yew::prelude::*;

use crate::draw::BarPart;
use crate::view::{gauge_view_with, GaugeView, ImagePolicy, Size, Theme, BAR_STEPS};

/// What a gauge shows and how.
#[derive(Properties, Clone)]
pub struct GaugeProps {
    /// The figures.
    pub status: Rc<StatusDocument>,
    /// The language.
    pub locale: Locale,
    /// The instant shown (the visitor's clock, corrected by the server's).
    pub now: DateTime<Utc>,
    /// How much room there is.
    #[prop_or_default]
    pub size: Size,
    /// The colour scheme.
    #[prop_or_default]
    pub theme: Theme,
    /// Show how far through the campaign we are in time as well as in money.
    #[prop_or_default]
    pub double_bar: bool,
    /// "Figures as of 14:05", when the latest figures could not be fetched.
    #[prop_or_default]
    pub stale_note: Option<AttrValue>,
    /// What the polite live region says (updated at most once a minute by the caller).
    #[prop_or_default]
    pub announcement: Option<AttrValue>,
    /// Draw the bars empty: the first frame of the fill animation.
    #[prop_or_default]
    pub unfilled: bool,
    /// Where the campaign's own images may come from.
    #[prop_or_default]
    pub images: ImagePolicy,
}

/// Figures are compared by identity: a document is read once and shared, so a new `Rc` means
/// new figures, and a deep comparison of whole documents would weigh on the browser bundle for
/// nothing.
impl PartialEq for GaugeProps {
    fn eq(&self, other: &GaugeProps) -> bool {
        // Destructured, so that a field added to the props cannot be left out of the comparison.
        let GaugeProps {
            status,
            locale,
            now,
            size,
            theme,
            double_bar,
            stale_note,
            announcement,
            unfilled,
            images,
        } = self;
        Rc::ptr_eq(status, &other.status)
            && *locale == other.locale
            && *now == other.now
            && *size == other.size
            && *theme == other.theme
            && *double_bar == other.double_bar
            && *stale_note == other.stale_note
            && *announcement == other.announcement
            && *unfilled == other.unfilled
            && *images == other.images
    }
}

/// One bar: its track, its fill and its milestones' ticks.
fn bar(class: &'static str, fill: u32, markers: &[crate::view::Marker]) -> Html {
    let at = crate::draw::BarBox {
        x: 0,
        y: 0,
        width: BAR_STEPS,
        height: 100,
        overhang: 0,
    };
    let shapes = crate::draw::bar_shapes(fill, markers, &at);
    html! {
        <svg class={classes!("jauge__bar", class)} viewBox={format!("0 0 {BAR_STEPS} 100")}
            preserveAspectRatio="none" aria-hidden="true" focusable="false">
            { for shapes.iter().map(|shape| match shape.part {
                BarPart::Tick { reached } => html! {
                    <line class={classes!("jauge__marker", reached.then_some("jauge__marker--reached"))}
                        x1={shape.x.to_string()} x2={shape.x.to_string()}
                        y1={shape.y.to_string()} y2={(shape.y + shape.height).to_string()} />
                },
                part => html! {
                    <rect class={if part == BarPart::Track { "jauge__track" } else { "jauge__fill" }}
                        x={shape.x.to_string()} y={shape.y.to_string()} width={shape.width.to_string()}
                        height={shape.height.to_string()} rx={shape.radius.to_string()} />
                },
            }) }
        </svg>
    }
}

/// The scene's views on screen: the current one, and the one it replaced.
#[derive(Default)]
struct ShownViews {
    now: Option<&'static str>,
    before: Option<&'static str>,
}

/// The scene, posed for the stage: an image for assistive technology, with a sentence saying
/// what it shows. In the browser, the drawing is asked for once the gauge has painted its
/// figures (the frame its bar starts to fill), into a box of its size laid out before (nothing
/// moves when it arrives), and a new stage fades in over the last one. On the
/// server (the static snippet), the view is written out inline: no request, no script.
///
/// `painted` says the gauge has been painted with its figures; `shown` holds the views on
/// screen, kept by the gauge.
#[cfg_attr(not(feature = "ssr"), allow(unused_variables))]
fn illustration(
    scene: crate::art::Scene,
    alt: &str,
    src: Option<&str>,
    painted: bool,
    shown: &RefCell<ShownViews>,
    theme: Theme,
) -> Html {
    let view = scene.view();
    let celebration = scene.celebration().then_some("jauge__scene--celebration");
    // A dark snippet shows the drawing at night (the live gauge loads the daytime file).
    #[cfg(feature = "ssr")]
    if let Some(svg) = crate::art::standalone_in(view, alt, theme == Theme::Dark) {
        let opening = format!(
            "class=\"jauge__scene\" data-view=\"{view}\" aria-label=\"{}\"",
            crate::art::escape(alt)
        );
        return Html::from_html_unchecked(
            svg.replacen("class=\"jauge__scene\"", &opening, 1).into(),
        );
    }
    // The view shown before the current one stays under the new one while it fades in, and
    // until the next change: the gauge renders every second, the fade takes longer.
    let previous = {
        let mut shown = shown.borrow_mut();
        if painted && shown.now != Some(view) {
            shown.before = shown.now.replace(view);
        }
        shown.before.filter(|v| *v != view)
    };
    let image = |view: &'static str, class: &'static str| match src {
        Some(src) if painted => html! {
            <img key={view} class={classes!("jauge__scene-view", class)} src={format!("{src}#{view}")}
                alt="" width="320" height="160" decoding="async" />
        },
        _ => Html::default(),
    };
    html! {
        <div class={classes!("jauge__scene", celebration)} role="img" aria-label={alt.to_owned()}
            data-view={view}>
            if let Some(previous) = previous { { image(previous, "jauge__scene-view--before") } }
            { image(view, "jauge__scene-view--now") }
        </div>
    }
}

/// What a gauge keeps from one render to the next.
pub(crate) struct GaugeMemory {
    /// The campaign image that failed to load, if one did: the built-in scene takes its place.
    failed_image: UseStateHandle<Option<String>>,
    image_ref: NodeRef,
    shown_scene: Rc<RefCell<ShownViews>>,
}

/// A gauge's memory, for a gauge showing the campaign image at `image_src` (if any).
#[hook]
pub(crate) fn use_gauge_memory(image_src: Option<String>) -> GaugeMemory {
    // An image that fails to load gives way to the built-in scene. `error` does not bubble, so
    // yew's delegated listeners never see it: a listener goes on the element itself.
    let failed_image = use_state(|| None::<String>);
    let image_ref = use_node_ref();
    let shown_scene = use_mut_ref(ShownViews::default);
    {
        let (image_ref, failed) = (image_ref.clone(), failed_image.clone());
        use_effect_with(image_src, move |src| {
            #[cfg(all(feature = "csr", target_arch = "wasm32"))]
            watch_image(&image_ref, src.clone(), failed);
            #[cfg(not(all(feature = "csr", target_arch = "wasm32")))]
            let _ = (image_ref, src, failed);
        });
    }
    GaugeMemory {
        failed_image,
        image_ref,
        shown_scene,
    }
}

/// The campaign image a view shows, if any.
pub(crate) fn image_src(view: &GaugeView) -> Option<String> {
    view.image.as_ref().map(|image| image.src.clone())
}

/// The gauge.
#[component]
pub fn Gauge(props: &GaugeProps) -> Html {
    let view: GaugeView = gauge_view_with(&props.status, props.locale, props.now, &props.images);
    let memory = use_gauge_memory(image_src(&view));
    gauge(props, view, &memory)
}

/// The gauge for `view`, as [`Gauge`] renders it and as the live gauge's root calls it. The
/// caller computes `view` from `props`, because `use_gauge_memory` needs its image first.
pub(crate) fn gauge(props: &GaugeProps, view: GaugeView, memory: &GaugeMemory) -> Html {
    let GaugeMemory {
        failed_image,
        image_ref,
        shown_scene,
    } = memory;
    let size = props.size;
    let (fill, time_fill) = if props.unfilled {
        (0, 0)
    } else {
        (view.fill, view.time_fill)
    };
    let progress = html! {
        <div class="jauge__progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"
            aria-valuenow={view.percent_value.min(100).to_string()} aria-valuetext={view.value_text.clone()}
            aria-label={view.aria_label.clone()}>
            { bar("jauge__bar--money", fill, &view.markers) }
            if size != Size::Bar {
                <p class="jauge__goal-mark" aria-hidden="true">{ view.goal_mark.clone() }</p>
            }
            if let Some(stretch) = view.stretch.clone() {
                { bar("jauge__bar--stretch", if props.unfilled { 0 } else { stretch.fill }, &[]) }
                if size != Size::Bar {
                    <p class="jauge__stretch-label">{ stretch.label }</p>
                }
            }
            if props.double_bar && size == Size::Full {
                { bar("jauge__bar--time", time_fill, &[]) }
                <p class="jauge__bar-legend" aria-hidden="true">
                    <span class="jauge__legend--money">{ view.bar_labels.0 }</span>
                    <span class="jauge__legend--time">{ view.bar_labels.1 }</span>
                </p>
            }
        </div>
    };
    let countdown = html! {
        <p class="jauge__time">
            if view.label_first { { view.time_label.clone() } { " " } }
            <strong>{ view.time_left.clone() }</strong>
            if !view.label_first && !view.time_label.is_empty() { { " " } { view.time_label.clone() } }
        </p>
    };
    html! {
        <div class={classes!("jauge", size.class(), props.theme.class(), view.state.class())}
            lang={props.locale.tag()}>
            if size != Size::Bar {
                if let Some(image) = view.image.clone().filter(|i| failed_image.as_deref() != Some(i.src.as_str())) {
                    <img ref={image_ref.clone()} class={classes!("jauge__image", image.class)} src={image.src.clone()} alt={image.alt.clone()}
                        width={image.width.to_string()} height={image.height.to_string()} loading="lazy" decoding="async" />
                } else {
                    { illustration(view.scene, &view.scene_alt, view.scene_src.as_deref(), !props.unfilled, shown_scene, props.theme) }
                }
                <p class="jauge__name">{ view.name.clone() }</p>
            }
            <p class="jauge__headline">
                <strong class="jauge__raised">{ view.raised.clone() }</strong>
                { " " }{ view.of.clone() }{ " " }
                <span class="jauge__goal">{ view.goal.clone() }</span>
                // No-break spaces: on a narrow screen the goal and the share wrap together, never
                // "· 60%" on a line of its own.
                { "\u{a0}·\u{a0}" }<span class="jauge__percent">{ view.percent.clone() }</span>
            </p>
            { progress }
            if size == Size::Bar {
                { countdown }
            } else {
                <div class="jauge__figures">
                    <p class="jauge__remaining">
                        <strong>{ view.remaining.clone() }</strong>{ " " }{ view.remaining_label }
                    </p>
                    { countdown }
                    <p class="jauge__donors">{ view.donors.clone() }</p>
                </div>
                for line in view.matched.iter() {
                    <p class="jauge__matched">{ line.clone() }</p>
                }
                if let Some(note) = view.reached_note {
                    <p class="jauge__reached">{ note }</p>
                }
                if size == Size::Full {
                    if let Some([before, label, after]) = view.next.clone() {
                        <p class="jauge__next">{ before }<span lang={view.next_lang}>{ label }</span>{ after }</p>
                    }
                    <p class="jauge__appeal">{ view.appeal.clone() }</p>
                }
            }
            if let Some(donate) = view.donate.clone() {
                <a class="jauge__donate" href={donate.url}>{ donate.label }</a>
            }
            if let Some(note) = props.stale_note.clone() {
                <p class="jauge__stale" aria-live="polite">{ note }</p>
            }
            <p class="jauge__sr" aria-live="polite">{ props.announcement.clone().unwrap_or_default() }</p>
        </div>
    }
}

/// Marks `src` as failed when the image element fails to load (or had already failed).
#[cfg(all(feature = "csr", target_arch = "wasm32"))]
fn watch_image(image_ref: &NodeRef, src: Option<String>, failed: UseStateHandle<Option<String>>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let (Some(src), Some(image)) = (src, image_ref.cast::<web_sys::HtmlImageElement>()) else {
        return;
    };
    if image.complete() && image.natural_width() == 0 {
        failed.set(Some(src));
        return;
    }
    let on_error = Closure::<dyn FnMut()>::new(move || failed.set(Some(src.clone())));
    let _ = image.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
    // The element lives as long as the gauge shows this image; so does its listener.
    on_error.forget();
}

/// What a page shows before any figures arrive, or when none can be had: readable text, never a
/// blank box.
#[derive(Properties, PartialEq)]
pub struct FallbackProps {
    /// The language.
    pub locale: Locale,
    /// Whether loading failed (rather than is still under way).
    pub failed: bool,
}

/// The fallback text.
#[component]
pub fn Fallback(props: &FallbackProps) -> Html {
    fallback(props.locale, props.failed)
}

/// The fallback text, as the live gauge's root writes it (a function, not one more component
/// type in the bundle).
pub(crate) fn fallback(locale: Locale, failed: bool) -> Html {
    let words = jauge::words::gauge::words(locale);
    html! {
        <div class={classes!("jauge", "jauge--fallback")} lang={locale.tag()}>
            <p class="jauge__fallback" role="status">{ if failed { words.unavailable } else { words.loading } }</p>
        </div>
    }
}
