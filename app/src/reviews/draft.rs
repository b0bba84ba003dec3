//! Notes are never lost: while a review form is typed into, every change is kept in the browser at
//! once (localStorage, per user, account and review) and on the server a moment later. The server
//! renders its copy into the form; the browser restores its own copy when that is newer (a save
//! refused because the session expired, a closed tab, the server out of reach). A successful save
//! drops both.

use super::model::Draft;
use leptos::prelude::*;

/// Wraps a review form and keeps drafts of it.
#[component]
pub fn DraftKept(
    /// The account of the review.
    account_id: i64,
    /// The review (0 for a new one).
    review_id: i64,
    /// The browser's key for its copy.
    storage_key: String,
    /// When the server's copy (already rendered into the form) was saved.
    server_saved_at: Option<String>,
    /// Becomes true when the form was saved: the drafts are then dropped.
    #[prop(into)]
    saved: Signal<bool>,
    /// The form.
    children: Children,
) -> impl IntoView {
    let status = RwSignal::new(
        server_saved_at
            .as_ref()
            .map(|at| format!("Restored your unsaved draft from {}.", clock(at))),
    );
    let wrapper = NodeRef::<leptos::html::Div>::new();
    let generation = StoredValue::new(0_u64);
    let key = StoredValue::new(storage_key);
    let server_saved_at = StoredValue::new(server_saved_at);

    Effect::new(move || {
        if saved.get() {
            key.with_value(|key| browser::forget(key));
        }
    });
    Effect::new(move || {
        let Some(wrapper) = wrapper.get() else { return };
        let local = key.with_value(|key| browser::load(key));
        let newer = local.filter(|local| {
            server_saved_at.with_value(|server| {
                server
                    .as_deref()
                    .is_none_or(|server| local.saved_at.as_str() > server)
            })
        });
        if let Some(local) = newer {
            browser::apply(&wrapper, &local.values);
            status.set(Some(format!(
                "Restored your unsaved draft from {} (kept in this browser).",
                clock(&local.saved_at)
            )));
        }
    });
    let on_change = move |_| {
        let Some(wrapper) = wrapper.get_untracked() else {
            return;
        };
        let values = browser::collect(&wrapper);
        key.with_value(|key| browser::store(key, &values));
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        browser::after_a_pause(move || {
            // The page may have moved on (the form was saved): then there is nothing to keep.
            if generation.try_get_value() != Some(mine) {
                return;
            }
            leptos::task::spawn_local(async move {
                let message = match super::api::save_review_draft(account_id, review_id, values)
                    .await
                {
                    Ok(at) => format!("Draft saved at {}.", clock(&at)),
                    Err(crate::error::AppError::Unauthorized) => {
                        "You are signed out: your draft is kept in this browser only. Sign in again (in a new tab) and it will be saved."
                            .to_string()
                    }
                    Err(_) => "Your draft is kept in this browser; the server could not save it just now."
                        .to_string(),
                };
                status.try_set(Some(message));
            });
        });
    };
    let discard = move |_| {
        key.with_value(|key| browser::forget(key));
        leptos::task::spawn_local(async move {
            let _ = super::api::discard_review_draft(account_id, review_id).await;
            let _ = window().location().reload();
        });
    };
    let restored = move || status.with(|s| s.as_deref().is_some_and(|s| s.starts_with("Restored")));
    view! {
        <div class="draft-kept" node_ref=wrapper on:input=on_change on:change=on_change>
            {children()}
            <p class="draft-status muted" role="status" aria-live="polite">
                {move || status.get()}
                {move || {
                    restored()
                        .then(|| {
                            view! {
                                " "
                                <button type="button" class="text-button" on:click=discard>
                                    "Discard draft"
                                </button>
                            }
                        })
                }}
            </p>
        </div>
    }
}

/// `HH:MM` (UTC) of an RFC 3339 time.
fn clock(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|at| at.format("%H:%M UTC").to_string())
        .unwrap_or_else(|_| at.to_string())
}

/// The browser's side; nothing happens on the server.
#[cfg(feature = "hydrate")]
mod browser {
    use super::Draft;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{
        HtmlDivElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, Storage,
    };

    fn storage() -> Option<Storage> {
        leptos::prelude::window().local_storage().ok().flatten()
    }

    pub fn load(key: &str) -> Option<Draft> {
        let text = storage()?.get_item(key).ok().flatten()?;
        serde_json::from_str(&text).ok()
    }

    pub fn store(key: &str, values: &[(String, String)]) {
        let draft = Draft {
            values: values.to_vec(),
            saved_at: js_sys::Date::new_0().to_iso_string().into(),
        };
        if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(&draft)) {
            let _ = storage.set_item(key, &text);
        }
    }

    pub fn forget(key: &str) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(key);
        }
    }

    pub fn after_a_pause(then: impl FnOnce() + 'static) {
        leptos::prelude::set_timeout(then, std::time::Duration::from_millis(1200));
    }

    /// The typed fields: everything visible (hidden inputs carry ids, not input), ticked boxes only.
    fn fields(wrapper: &HtmlDivElement) -> Vec<leptos::web_sys::Element> {
        let Ok(list) = wrapper.query_selector_all("input, textarea, select") else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|node| node.dyn_into::<leptos::web_sys::Element>().ok())
            .filter(|element| {
                let name = element.get_attribute("name").unwrap_or_default();
                !name.is_empty()
                    && !name.starts_with('_')
                    && element.get_attribute("type").as_deref() != Some("hidden")
            })
            .collect()
    }

    pub fn collect(wrapper: &HtmlDivElement) -> Vec<(String, String)> {
        let mut values = Vec::new();
        for element in fields(wrapper) {
            if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
                if input.type_() == "checkbox" && !input.checked() {
                    continue;
                }
                values.push((input.name(), input.value()));
            } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
                values.push((area.name(), area.value()));
            } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
                values.push((select.name(), select.value()));
            }
        }
        values
    }

    pub fn apply(wrapper: &HtmlDivElement, values: &[(String, String)]) {
        let find = |name: &str| {
            values
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        for element in fields(wrapper) {
            if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
                if input.type_() == "checkbox" {
                    let (name, value) = (input.name(), input.value());
                    input.set_checked(values.iter().any(|(n, v)| *n == name && *v == value));
                } else if let Some(value) = find(&input.name()) {
                    input.set_value(&value);
                }
            } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
                if let Some(value) = find(&area.name()) {
                    area.set_value(&value);
                }
            } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
                if let Some(value) = find(&select.name()) {
                    select.set_value(&value);
                }
            }
        }
    }
}

/// On the server the page is only rendered: drafts are the browser's business.
#[cfg(not(feature = "hydrate"))]
mod browser {
    use super::Draft;
    use leptos::web_sys::HtmlDivElement;

    pub fn load(_key: &str) -> Option<Draft> {
        None
    }
    pub fn store(_key: &str, _values: &[(String, String)]) {}
    pub fn forget(_key: &str) {}
    pub fn after_a_pause(_then: impl FnOnce() + 'static) {}
    pub fn collect(_wrapper: &HtmlDivElement) -> Vec<(String, String)> {
        Vec::new()
    }
    pub fn apply(_wrapper: &HtmlDivElement, _values: &[(String, String)]) {}
}
