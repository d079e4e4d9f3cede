//! Item visibility: an IntersectionObserver at the 50 % threshold over every
//! `[data-hearth-item]` (except those the ignore selector covers), a MutationObserver that
//! brings in items added later, and the one timer the core's viewability deadlines run on.

use super::dom::item_of;
use super::Deliver;
use hearth_core::capture::Observed;
use hearth_core::event::viewability::ItemKey;
use js_sys::{Array, WeakMap};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Document, Element, IntersectionObserver, IntersectionObserverEntry, MutationObserver,
    MutationRecord,
};

/// The IAB/MRC viewability threshold: half of the item in view.
const VISIBLE_RATIO: f64 = 0.5;
const ITEM_SELECTOR: &str = "[data-hearth-item]";

/// A number per item element, so the same item shown twice counts as two elements; the
/// WeakMap lets removed elements be collected.
struct ElementKeys {
    keys: WeakMap,
    next: Cell<ItemKey>,
}

impl ElementKeys {
    fn key(&self, element: &Element) -> ItemKey {
        if let Some(key) = self.keys.get(element).as_f64() {
            return key as ItemKey;
        }
        let key = self.next.get();
        self.next.set(key.wrapping_add(1));
        self.keys.set(element, &JsValue::from(key));
        key
    }

    fn known(&self, element: &Element) -> Option<ItemKey> {
        self.keys.get(element).as_f64().map(|key| key as ItemKey)
    }
}

/// Both observers; disconnected on drop.
pub struct ItemObserver {
    intersections: IntersectionObserver,
    mutations: MutationObserver,
    _on_intersection: Closure<dyn FnMut(Array)>,
    _on_mutation: Closure<dyn FnMut(Array)>,
}

impl ItemObserver {
    /// Observes the items on the page now and any added later; reports removed ones.
    pub fn attach(document: &Document, ignore: String, deliver: Deliver) -> Option<ItemObserver> {
        let keys = Rc::new(ElementKeys {
            keys: WeakMap::new(),
            next: Cell::new(0),
        });
        let (seen_keys, seen) = (keys.clone(), deliver.clone());
        let on_intersection = Closure::<dyn FnMut(Array)>::new(move |entries: Array| {
            for entry in entries.iter() {
                let Ok(entry) = entry.dyn_into::<IntersectionObserverEntry>() else {
                    continue;
                };
                let element = entry.target();
                if element.closest(&ignore).ok().flatten().is_some() {
                    continue;
                }
                if let Some(item) = item_of(&element) {
                    let visible =
                        entry.is_intersecting() && entry.intersection_ratio() >= VISIBLE_RATIO;
                    seen(Observed::ItemVisibility(
                        seen_keys.key(&element),
                        item,
                        visible,
                    ));
                }
            }
        });
        let init = web_sys::IntersectionObserverInit::new();
        init.set_threshold(&JsValue::from(VISIBLE_RATIO));
        let intersections =
            IntersectionObserver::new_with_options(on_intersection.as_ref().unchecked_ref(), &init)
                .ok()?;
        for_items_in(document.document_element()?.as_ref(), |item| {
            intersections.observe(item)
        });

        let watched = intersections.clone();
        let on_mutation = Closure::<dyn FnMut(Array)>::new(move |records: Array| {
            for record in records.iter() {
                let Ok(record) = record.dyn_into::<MutationRecord>() else {
                    continue;
                };
                for element in elements(&record.added_nodes()) {
                    for_items_in(&element, |item| watched.observe(item));
                }
                for element in elements(&record.removed_nodes()) {
                    for_items_in(&element, |item| {
                        watched.unobserve(item);
                        if let Some(key) = keys.known(item) {
                            deliver(Observed::ItemRemoved(key));
                        }
                    });
                }
            }
        });
        let mutations = MutationObserver::new(on_mutation.as_ref().unchecked_ref()).ok()?;
        let options = web_sys::MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        mutations.observe_with_options(document, &options).ok()?;
        Some(ItemObserver {
            intersections,
            mutations,
            _on_intersection: on_intersection,
            _on_mutation: on_mutation,
        })
    }
}

fn elements(nodes: &web_sys::NodeList) -> impl Iterator<Item = Element> + '_ {
    (0..nodes.length()).filter_map(|i| nodes.item(i)?.dyn_into::<Element>().ok())
}

/// Calls `f` on `root` if it is an item, and on every item inside it.
fn for_items_in(root: &Element, mut f: impl FnMut(&Element)) {
    if root.matches(ITEM_SELECTOR).unwrap_or(false) {
        f(root);
    }
    if let Ok(items) = root.query_selector_all(ITEM_SELECTOR) {
        for item in elements(&items) {
            f(&item);
        }
    }
}

impl Drop for ItemObserver {
    fn drop(&mut self) {
        self.intersections.disconnect();
        self.mutations.disconnect();
    }
}

/// One `setTimeout` at a time: re-arming replaces the pending one; dropped = cleared.
pub struct Timer {
    window: web_sys::Window,
    handle: Cell<Option<i32>>,
    callback: RefCell<Option<Closure<dyn FnMut()>>>,
}

impl Timer {
    /// A timer with no callback yet.
    pub fn new(window: web_sys::Window) -> Timer {
        Timer {
            window,
            handle: Cell::new(None),
            callback: RefCell::new(None),
        }
    }

    /// What runs when the timer fires.
    pub fn set_callback(&self, callback: impl FnMut() + 'static) {
        *self.callback.borrow_mut() = Some(Closure::new(callback));
    }

    /// Fires the callback after `delay_ms`, replacing any pending firing.
    pub fn arm(&self, delay_ms: f64) {
        self.clear();
        let callback = self.callback.borrow();
        let Some(callback) = callback.as_ref() else {
            return;
        };
        let delay = delay_ms.clamp(0.0, i32::MAX as f64) as i32;
        let handle = self
            .window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                delay,
            );
        self.handle.set(handle.ok());
    }

    fn clear(&self) {
        if let Some(handle) = self.handle.take() {
            self.window.clear_timeout_with_handle(handle);
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.clear();
    }
}
