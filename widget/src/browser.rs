//! The browser entry point: mounts every `[data-jauge]` element, fetches its status document,
//! keeps the countdown ticking, and keeps the last good figures when anything fails.
//!
//! Requests go only to the element's `data-src`, without cookies (`credentials: omit`) and
//! without the HTTP cache (`cache: no-store`), and nothing is stored in the browser. The ETag is
//! sent by hand to the page's own origin; to another origin it is only compared, since the
//! header would cost a preflight that a static host may not answer.
//!
//! New figures arrive two ways. Where `status.json` names a push stream (`jauge serve` does, in
//! its `X-Jauge-Events` header), the gauge listens to it and fetches the document as soon as it
//! changes. Elsewhere (a CDN, a static host) it polls every `data-refresh` seconds (30 by
//! default), a fifth more or less at random so that a thousand open pages do not ask in step,
//! and not while the tab is hidden.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use jauge::{Locale, StatusDocument};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Element, EventSource, Request, RequestCache, RequestCredentials, RequestInit, Response, Url,
};
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::components::{fallback, gauge, image_src, use_gauge_memory, GaugeProps};
use crate::view::{gauge_view, gauge_view_with, Size, Theme};

/// How often the countdown is recomputed: minutes are the finest unit it shows.
const TICK: Duration = Duration::from_secs(15);
/// Screen readers hear an update at most this often.
const ANNOUNCE_EVERY_MS: i64 = 60_000;
/// Seconds between polls when the element does not say.
const DEFAULT_REFRESH: u32 = 30;
/// How often a waiting gauge looks whether it was pushed a change or its poll is due.
const STEP: Duration = Duration::from_millis(250);
/// With a push stream open, a poll still comes this many times less often, in case the stream
/// silently broke.
const PUSHED_POLL_FACTOR: f64 = 10.0;

/// Where a gauge gets its figures and how it shows them, read from its element's attributes.
#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// `data-src`: the status document's URL.
    pub src: Option<AttrValue>,
    /// An inline `<script type="application/json">` child's text.
    pub inline: Option<AttrValue>,
    /// `data-lang`, else the page's `lang`.
    pub locale: Locale,
    /// `data-size`.
    pub size: Size,
    /// `data-theme`.
    pub theme: Theme,
    /// `data-refresh`, seconds between polls (30 by default); 0 fetches once and never again.
    pub refresh: u32,
    /// `data-bars="double"`.
    pub double_bar: bool,
    /// `data-clock="frozen"`: show the document at its own as-of instant, without ticking (for
    /// galleries of past moments).
    pub frozen: bool,
    /// `data-src`, and the origins `data-image-origin` allows (space-separated), for the
    /// campaign's own images.
    pub images: crate::view::ImagePolicy,
    /// A gauge the server already rendered in the element (`jauge snippet`): it stays until the
    /// live one has figures, then gives way to it in the same place.
    pub prerendered: Option<Element>,
    /// Whether this gauge tells screen readers of new figures: the first of the page's gauges
    /// on its status document, so that one gift is said once, not once per gauge.
    pub announce: bool,
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// `HH:MM` of an instant in the visitor's own time.
fn local_clock(instant: DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(instant.timestamp_millis() as f64));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

enum Action {
    /// New figures, with the server clock's offset from the visitor's.
    Loaded(Rc<StatusDocument>, i64),
    /// The figures did not change.
    Unchanged(i64),
    /// The request failed: keep what we have.
    Failed,
    /// Time passes.
    Tick,
    /// Start the fill animation.
    Fill,
}

#[derive(PartialEq)]
struct Model {
    status: Option<Rc<StatusDocument>>,
    offset_ms: i64,
    now_ms: i64,
    failing: bool,
    unfilled: bool,
    announcement: Option<AttrValue>,
    announced_at_ms: i64,
    locale: Locale,
}

impl Model {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.now_ms + self.offset_ms).unwrap_or_default()
    }
}

impl Reducible for Model {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let now_ms = now_ms();
        let mut next = Model {
            status: self.status.clone(),
            announcement: self.announcement.clone(),
            now_ms,
            ..*self
        };
        match action {
            Action::Loaded(status, offset_ms) => {
                let changed = self
                    .status
                    .as_ref()
                    .is_some_and(|old| old.raised() != status.raised());
                next.offset_ms = offset_ms;
                next.failing = false;
                if changed && now_ms - self.announced_at_ms >= ANNOUNCE_EVERY_MS {
                    let view = gauge_view(&status, self.locale, next.now());
                    next.announcement = Some(view.value_text.into());
                    next.announced_at_ms = now_ms;
                }
                next.status = Some(status);
            }
            Action::Unchanged(offset_ms) => {
                next.offset_ms = offset_ms;
                next.failing = false;
            }
            Action::Failed => next.failing = true,
            Action::Tick => {}
            // Only once there are figures: a gauge whose document is still on its way fills
            // when it arrives.
            Action::Fill => next.unfilled &= next.status.is_none(),
        }
        Rc::new(next)
    }
}

enum Fetched {
    New(Box<StatusDocument>, Option<String>, Option<i64>),
    NotModified(Option<i64>),
}

/// Whether `src` is on the page's own origin.
fn same_origin(window: &web_sys::Window, src: &str) -> bool {
    let page = window.location().href().unwrap_or_default();
    Url::new_with_base(src, &page)
        .is_ok_and(|url| Some(url.origin()) == window.location().origin().ok())
}

async fn fetch_status(
    src: &str,
    etag: Option<&str>,
    events: &RefCell<Option<String>>,
) -> Result<Fetched, String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    let request =
        Request::new_with_str_and_init(src, &init).map_err(|_| format!("bad URL {src}"))?;
    if let Some(tag) = etag.filter(|_| same_origin(&window, src)) {
        let _ = request.headers().set("If-None-Match", tag);
    }
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| format!("{src}: network error"))?
        .dyn_into()
        .map_err(|_| "not a response")?;
    let header = |name: &str| response.headers().get(name).ok().flatten();
    if let Some(stream) = header("X-Jauge-Events") {
        *events.borrow_mut() = Url::new_with_base(&stream, &response.url())
            .ok()
            .map(|url| url.href());
    }
    // The browser's own reader of the header's IMF-fixdate (`Date.parse`, NaN when it is not
    // one): chrono's RFC 2822 parser would cost 6 KB of WASM, the core's small reader 0.6 KB.
    let server_date = header("Date")
        .map(|d| js_sys::Date::parse(&d))
        .filter(|ms| ms.is_finite())
        .map(|ms| ms as i64);
    if response.status() == 304 || (etag.is_some() && header("ETag").as_deref() == etag) {
        return Ok(Fetched::NotModified(server_date));
    }
    if !response.ok() {
        return Err(format!("{src}: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(|_| "no body")?)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| format!("{src}: unreadable body"))?;
    let status = StatusDocument::from_json(&text).map_err(|e| format!("{src}: {e}"))?;
    Ok(Fetched::New(Box::new(status), header("ETag"), server_date))
}

/// Opens the push stream at `url`: each `status` event sets `pushed`. The browser reconnects
/// a broken stream by itself.
fn listen(url: &str, pushed: &Rc<std::cell::Cell<bool>>) -> Option<EventSource> {
    let stream = EventSource::new(url).ok()?;
    let pushed = pushed.clone();
    let on_status = Closure::<dyn FnMut()>::new(move || pushed.set(true));
    stream
        .add_event_listener_with_callback("status", on_status.as_ref().unchecked_ref())
        .ok()?;
    // Lives as long as the page: the stream is closed when the gauge goes, not the listener.
    on_status.forget();
    Some(stream)
}

/// The server's clock minus the visitor's, from the HTTP `Date` header; without one, the
/// document's own as-of instant is a lower bound for now.
fn offset(server_ms: Option<i64>, status: Option<&StatusDocument>) -> i64 {
    let local = now_ms();
    match (server_ms, status) {
        (Some(date), _) => date - local,
        (None, Some(status)) => (status.as_of().timestamp_millis() - local).max(0),
        (None, None) => 0,
    }
}

#[component]
fn App(props: &AppProps) -> Html {
    let locale = props.locale;
    let model = use_reducer(|| Model {
        status: None,
        offset_ms: 0,
        now_ms: now_ms(),
        failing: false,
        // A server-rendered gauge is already filled: animating from empty would flicker.
        unfilled: props.prerendered.is_none(),
        announcement: None,
        // A gauge that does not announce is one that announced at the end of time.
        announced_at_ms: if props.announce { 0 } else { i64::MAX },
        locale,
    });
    {
        let dispatcher = model.dispatcher();
        use_effect_with(props.clone(), move |props| {
            let alive = Rc::new(std::cell::Cell::new(true));
            let props = props.clone();
            let warned = Rc::new(std::cell::Cell::new(false));
            let fail = {
                let (dispatcher, warned) = (dispatcher.clone(), warned.clone());
                move |message: String| {
                    if !warned.replace(true) {
                        web_sys::console::warn_1(&format!("jauge: {message}").into());
                    }
                    dispatcher.dispatch(Action::Failed);
                }
            };
            if let Some(json) = props.inline.clone() {
                match StatusDocument::from_json(&json) {
                    Ok(status) => {
                        let offset = offset(None, Some(&status));
                        dispatcher.dispatch(Action::Loaded(Rc::new(status), offset))
                    }
                    Err(e) => fail(format!("inline status: {e}")),
                }
            }
            if let Some(src) = props.src.clone() {
                let (dispatcher, alive, warned) =
                    (dispatcher.clone(), alive.clone(), warned.clone());
                spawn_local(async move {
                    let etag: RefCell<Option<String>> = RefCell::new(None);
                    let events: RefCell<Option<String>> = RefCell::new(None);
                    let pushed = Rc::new(std::cell::Cell::new(false));
                    let mut stream: Option<EventSource> = None;
                    while alive.get() {
                        let tag = etag.borrow().clone();
                        match fetch_status(&src, tag.as_deref(), &events).await {
                            Ok(Fetched::New(status, new_tag, date)) => {
                                warned.set(false);
                                *etag.borrow_mut() = new_tag;
                                let offset = offset(date, Some(&status));
                                dispatcher.dispatch(Action::Loaded(Rc::new(*status), offset));
                                // One frame with the figures and an empty bar, then it fills
                                // (and the scene is asked for): a no-op after the first time.
                                sleep(Duration::from_millis(50)).await;
                                dispatcher.dispatch(Action::Fill);
                            }
                            Ok(Fetched::NotModified(date)) => {
                                dispatcher.dispatch(Action::Unchanged(offset(date, None)))
                            }
                            Err(message) => fail(message),
                        }
                        if props.refresh == 0 {
                            break;
                        }
                        if stream.is_none() {
                            stream = events
                                .borrow()
                                .as_deref()
                                .and_then(|url| listen(url, &pushed));
                        }
                        // Due after the interval, a fifth more or less; pushed at once.
                        let factor = if stream.is_some() {
                            PUSHED_POLL_FACTOR
                        } else {
                            1.0
                        };
                        let due = f64::from(props.refresh)
                            * 1000.0
                            * factor
                            * (0.8 + 0.4 * js_sys::Math::random());
                        let started = now_ms();
                        loop {
                            sleep(STEP).await;
                            if !alive.get() || pushed.replace(false) {
                                break;
                            }
                            let hidden = web_sys::window()
                                .and_then(|w| w.document())
                                .is_some_and(|d| d.hidden());
                            if !hidden && (now_ms() - started) as f64 >= due {
                                break;
                            }
                        }
                    }
                    if let Some(stream) = stream {
                        stream.close();
                    }
                });
            }
            {
                let (dispatcher, alive) = (dispatcher.clone(), alive.clone());
                spawn_local(async move {
                    // One frame empty, then the bar fills: the CSS transition animates it (or not,
                    // under prefers-reduced-motion).
                    sleep(Duration::from_millis(50)).await;
                    dispatcher.dispatch(Action::Fill);
                    while alive.get() {
                        sleep(TICK).await;
                        dispatcher.dispatch(Action::Tick);
                    }
                });
            }
            move || alive.set(false)
        });
    }
    {
        let prerendered = props.prerendered.clone();
        // Runs right after the live gauge's first render with figures, before the browser
        // paints: the static gauge is never seen next to the live one.
        use_effect_with(model.status.is_some(), move |loaded| {
            if let (true, Some(old)) = (*loaded, prerendered) {
                old.remove();
            }
        });
    }
    // Computed before the match: the gauge's hooks run on every render, figures or not.
    let shown = model.status.as_ref().map(|status| {
        let now = if props.frozen {
            status.as_of()
        } else {
            model.now()
        };
        let view = gauge_view_with(status, locale, now, &props.images);
        (status, now, view)
    });
    let memory = use_gauge_memory(shown.as_ref().and_then(|(_, _, view)| image_src(view)));
    match shown {
        // Until figures arrive (or if they never do), the server-rendered gauge stays.
        None if props.prerendered.is_some() => html! {},
        None => fallback(locale, model.failing),
        Some((status, now, view)) => {
            let stale_note = model.failing.then(|| {
                AttrValue::from(format!(
                    "{} {}",
                    jauge::words::gauge::words(locale).as_of,
                    local_clock(status.as_of())
                ))
            });
            let props = GaugeProps {
                status: status.clone(),
                locale,
                now,
                size: props.size,
                theme: props.theme,
                double_bar: props.double_bar,
                stale_note,
                announcement: model.announcement.clone(),
                unfilled: model.unfilled,
                images: props.images.clone(),
            };
            gauge(&props, view, &memory)
        }
    }
}

fn props_of(element: &Element, prerendered: Option<Element>, announce: bool) -> AppProps {
    let attribute = |name: &str| element.get_attribute(name).filter(|v| !v.trim().is_empty());
    let inline = element
        .query_selector("script[type='application/json']")
        .ok()
        .flatten()
        .and_then(|script| script.text_content())
        .map(AttrValue::from);
    let page_lang = || {
        element
            .closest("[lang]")
            .ok()
            .flatten()
            .and_then(|e| e.get_attribute("lang"))
    };
    AppProps {
        src: attribute("data-src").map(AttrValue::from),
        inline,
        locale: attribute("data-lang")
            .or_else(page_lang)
            .and_then(|tag| Locale::from_tag(&tag).ok())
            .unwrap_or(Locale::En),
        size: Size::parse(&attribute("data-size").unwrap_or_default()),
        theme: Theme::parse(&attribute("data-theme").unwrap_or_default()),
        refresh: attribute("data-refresh")
            .and_then(|r| r.trim().parse().ok())
            .unwrap_or(DEFAULT_REFRESH),
        double_bar: attribute("data-bars").is_some_and(|b| b == "double"),
        frozen: attribute("data-clock").is_some_and(|c| c == "frozen"),
        images: crate::view::ImagePolicy {
            base: attribute("data-src"),
            origins: attribute("data-image-origin")
                .map(|o| o.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default(),
        },
        prerendered,
        announce,
    }
}

/// Mounts every `[data-jauge]` element not mounted yet. Runs when the module loads; call it
/// again after adding gauges to the page.
#[wasm_bindgen(js_name = mountAll)]
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(elements) = document.query_selector_all("[data-jauge]:not([data-jauge-mounted])") else {
        return;
    };
    for i in 0..elements.length() {
        let Some(element) = elements.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let _ = element.set_attribute("data-jauge-mounted", "");
        let prerendered = element.query_selector(":scope > .jauge").ok().flatten();
        // The page's first gauge announces new figures; the others stay quiet.
        let announce = document
            .query_selector("[data-jauge-announces]")
            .is_ok_and(|found| found.is_none());
        if announce {
            let _ = element.set_attribute("data-jauge-announces", "");
        }
        // Read before anything is replaced: the inline document is one of the children.
        let props = props_of(&element, prerendered.clone(), announce);
        // yew empties the element it mounts in: a server-rendered gauge needs a new sibling
        // to mount in, and stays until the live gauge can take its place. Anything else the
        // page showed without script is replaced at once.
        let root = match &prerendered {
            Some(_) => match document.create_element("div") {
                Ok(host) => {
                    host.set_class_name("jauge-live");
                    let _ = element.append_child(&host);
                    host
                }
                Err(_) => continue,
            },
            None => {
                element.set_inner_html("");
                element.clone()
            }
        };
        yew::Renderer::<App>::with_root_and_props(root, props).render();
    }
}

#[wasm_bindgen(start)]
fn start() {
    mount_all();
}
