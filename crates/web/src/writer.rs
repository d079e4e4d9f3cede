//! One storage writer at a time, in arrival order, without polling: a task that finds the
//! store busy waits on a promise that the current writer resolves when it lets go. (Polling
//! a flag with a timer spun without pause where there is no `window`, as in a Worker.)

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use wasm_bindgen::JsValue;

/// The lock every load, write, forget and erase holds while it touches the database.
#[derive(Default)]
pub struct WriterLock {
    busy: Cell<bool>,
    waiting: RefCell<VecDeque<js_sys::Function>>,
}

impl WriterLock {
    /// Takes the lock if it is free.
    pub fn try_acquire(&self) -> bool {
        !self.busy.replace(true)
    }

    /// Takes the lock, waiting behind the tasks that asked before.
    pub async fn acquire(&self) {
        if self.try_acquire() {
            return;
        }
        let promise =
            js_sys::Promise::new(&mut |resolve, _| self.waiting.borrow_mut().push_back(resolve));
        // Resolved by `release`, which hands the lock over: it stays busy.
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }

    /// Hands the lock to the next waiting task, or frees it.
    pub fn release(&self) {
        let next = self.waiting.borrow_mut().pop_front();
        match next {
            Some(resolve) => {
                let _ = resolve.call0(&JsValue::NULL);
            }
            None => self.busy.set(false),
        }
    }
}
