//! SPA navigation: the Navigation API's `currententrychange` where the browser has it;
//! otherwise `popstate` plus wrappers around `history.pushState` / `replaceState`, which are
//! put back on drop (unless someone wrapped them after us).

use super::Deliver;
use gloo_events::EventListener;
use hearth_core::capture::Observed;
use js_sys::{Function, Reflect};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Watches URL changes; dropped = stops watching and restores `history`.
pub struct NavigationWatch {
    _listeners: Vec<EventListener>,
    _patches: Vec<HistoryPatch>,
}

impl NavigationWatch {
    /// Starts watching.
    pub fn attach(window: &web_sys::Window, deliver: Deliver) -> Option<NavigationWatch> {
        let location = window.location();
        let report: Rc<dyn Fn()> = Rc::new(move || {
            if let Ok(href) = location.href() {
                deliver(Observed::Navigated(href));
            }
        });
        let navigation = Reflect::get(window, &"navigation".into()).ok();
        if let Some(navigation) = navigation.and_then(|n| n.dyn_into::<web_sys::EventTarget>().ok())
        {
            let report = report.clone();
            let listener = EventListener::new(&navigation, "currententrychange", move |_| report());
            return Some(NavigationWatch {
                _listeners: vec![listener],
                _patches: Vec::new(),
            });
        }
        let on_popstate = report.clone();
        let listener = EventListener::new(window, "popstate", move |_| on_popstate());
        let history = window.history().ok()?;
        let patches = ["pushState", "replaceState"]
            .into_iter()
            .filter_map(|method| HistoryPatch::install(&history, method, report.clone()))
            .collect();
        Some(NavigationWatch {
            _listeners: vec![listener],
            _patches: patches,
        })
    }
}

/// `history[method]` replaced by a wrapper that calls the original, then reports.
struct HistoryPatch {
    history: web_sys::History,
    method: &'static str,
    original: Function,
    wrapper: Closure<dyn FnMut(JsValue, JsValue, JsValue) -> Result<JsValue, JsValue>>,
}

impl HistoryPatch {
    fn install(
        history: &web_sys::History,
        method: &'static str,
        report: Rc<dyn Fn()>,
    ) -> Option<HistoryPatch> {
        let original: Function = Reflect::get(history, &method.into())
            .ok()?
            .dyn_into()
            .ok()?;
        let (call, this) = (original.clone(), history.clone());
        let wrapper =
            Closure::<dyn FnMut(JsValue, JsValue, JsValue) -> Result<JsValue, JsValue>>::new(
                move |state: JsValue, unused: JsValue, url: JsValue| {
                    // The site's navigation must behave exactly as without Hearth: same result,
                    // same exception.
                    let result = call.call3(&this, &state, &unused, &url)?;
                    report();
                    Ok(result)
                },
            );
        Reflect::set(history, &method.into(), wrapper.as_ref()).ok()?;
        Some(HistoryPatch {
            history: history.clone(),
            method,
            original,
            wrapper,
        })
    }
}

impl Drop for HistoryPatch {
    fn drop(&mut self) {
        let current =
            Reflect::get(&self.history, &self.method.into()).unwrap_or(JsValue::UNDEFINED);
        let ours: &JsValue = self.wrapper.as_ref();
        if current == *ours {
            let _ = Reflect::set(&self.history, &self.method.into(), &self.original);
        }
    }
}
