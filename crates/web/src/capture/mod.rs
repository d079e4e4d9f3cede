//! Turning the page into observations: one delegated click listener, scroll depth at most once
//! per animation frame, item visibility through IntersectionObserver (with items added later
//! found by a MutationObserver), page visibility, visitor activity and SPA navigation.
//!
//! Every listener and observer is owned by [`Capture`]; dropping it detaches all of them.
//! Nothing here decides anything or keeps state beyond what the DOM plumbing needs: each
//! observation goes to the sink, and the core turns it into events.

mod dom;
mod navigation;
mod visibility;

use gloo_events::{EventListener, EventListenerOptions};
use hearth_core::capture::Observed;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Activity closer together than this is reported once (input events fire very often).
const INPUT_REPORT_INTERVAL_MS: f64 = 1000.0;

/// Receives observations; returns when it next wants a [`Observed::Tick`], in ms.
pub type Sink = Rc<dyn Fn(Observed) -> Option<f64>>;

/// Which signals to capture (from the `capture` options).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signals {
    /// Clicks on items and links.
    pub clicks: bool,
    /// Scroll depth.
    pub scroll: bool,
    /// Impressions and dwell.
    pub impressions: bool,
    /// Page views, including SPA navigation.
    pub pageviews: bool,
}

/// Every listener and observer capture attached; dropped = detached.
pub struct Capture {
    _listeners: Vec<EventListener>,
    _visibility: Option<visibility::ItemObserver>,
    _navigation: Option<navigation::NavigationWatch>,
    _timer: Rc<visibility::Timer>,
}

impl Capture {
    /// Attaches to the page's `window`; `None` where there is none (Node).
    pub fn attach(signals: Signals, ignore_selector: Option<&str>, sink: Sink) -> Option<Capture> {
        let window = super::window()?;
        let document = window.document()?;
        let timer = Rc::new(visibility::Timer::new(window.clone()));
        let deliver = delivering(sink, timer.clone());
        let mut listeners = Vec::new();
        let ignore = dom::ignore_selector(ignore_selector);
        if signals.clicks {
            listeners.push(click_listener(&document, ignore.clone(), deliver.clone()));
        }
        if signals.scroll {
            listeners.extend(scroll_listeners(&window, deliver.clone()));
        }
        listeners.extend(activity_listeners(&window, &document, deliver.clone()));
        let items = signals
            .impressions
            .then(|| visibility::ItemObserver::attach(&document, ignore, deliver.clone()))
            .flatten();
        let navigation = signals
            .pageviews
            .then(|| navigation::NavigationWatch::attach(&window, deliver.clone()))
            .flatten();
        Some(Capture {
            _listeners: listeners,
            _visibility: items,
            _navigation: navigation,
            _timer: timer,
        })
    }
}

/// Hands an observation to the sink and arms the timer for the next deadline it names.
type Deliver = Rc<dyn Fn(Observed)>;

fn delivering(sink: Sink, timer: Rc<visibility::Timer>) -> Deliver {
    let weak_timer = Rc::downgrade(&timer);
    let tick_sink = sink.clone();
    timer.set_callback(move || {
        if let (Some(timer), Some(delay)) = (weak_timer.upgrade(), tick_sink(Observed::Tick)) {
            timer.arm(delay);
        }
    });
    let timer = Rc::downgrade(&timer);
    Rc::new(move |observation| {
        let next = sink(observation);
        if let (Some(timer), Some(delay)) = (timer.upgrade(), next) {
            timer.arm(delay);
        }
    })
}

fn passive() -> EventListenerOptions {
    EventListenerOptions {
        passive: true,
        ..EventListenerOptions::default()
    }
}

fn click_listener(document: &web_sys::Document, ignore: String, deliver: Deliver) -> EventListener {
    let options = EventListenerOptions {
        passive: true,
        ..EventListenerOptions::run_in_capture_phase()
    };
    EventListener::new_with_options(document, "click", options, move |event| {
        let Some(target) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        if let Some(click) = dom::click_observation(&target, &ignore) {
            deliver(click);
        }
    })
}

/// Scroll and resize schedule one measurement per animation frame, however many fire.
fn scroll_listeners(window: &web_sys::Window, deliver: Deliver) -> Vec<EventListener> {
    let pending = Rc::new(Cell::new(false));
    let frame_window = window.clone();
    let measure: Rc<Closure<dyn FnMut()>> = {
        let pending = pending.clone();
        Rc::new(Closure::new(move || {
            pending.set(false);
            let (top_px, viewport_px, document_px) = dom::scroll_geometry(&frame_window);
            deliver(Observed::Scroll {
                top_px,
                viewport_px,
                document_px,
            });
        }))
    };
    let schedule = {
        let window = window.clone();
        move |_: &web_sys::Event| {
            if !pending.replace(true) {
                let callback: &js_sys::Function = measure.as_ref().as_ref().unchecked_ref();
                if window.request_animation_frame(callback).is_err() {
                    pending.set(false);
                }
            }
        }
    };
    let schedule = Rc::new(schedule);
    ["scroll", "resize"]
        .into_iter()
        .map(|kind| {
            let schedule = schedule.clone();
            EventListener::new_with_options(window, kind, passive(), move |e| schedule(e))
        })
        .collect()
}

/// Visitor activity (throttled), page visibility, and the page going away.
fn activity_listeners(
    window: &web_sys::Window,
    document: &web_sys::Document,
    deliver: Deliver,
) -> Vec<EventListener> {
    let last_input = Rc::new(Cell::new(f64::NEG_INFINITY));
    let mut listeners: Vec<EventListener> =
        ["pointerdown", "keydown", "wheel", "touchstart", "scroll"]
            .into_iter()
            .map(|kind| {
                let (deliver, last_input) = (deliver.clone(), last_input.clone());
                EventListener::new_with_options(window, kind, passive(), move |_| {
                    let now = js_sys::Date::now();
                    if now - last_input.get() >= INPUT_REPORT_INTERVAL_MS {
                        last_input.set(now);
                        deliver(Observed::Input);
                    }
                })
            })
            .collect();
    let visible_document = document.clone();
    let on_visibility = deliver.clone();
    listeners.push(EventListener::new(
        document,
        "visibilitychange",
        move |_| {
            let visible = visible_document.visibility_state() == web_sys::VisibilityState::Visible;
            on_visibility(Observed::PageVisible(visible));
        },
    ));
    listeners.push(EventListener::new(window, "pagehide", move |_| {
        deliver(Observed::PageHide)
    }));
    listeners
}
