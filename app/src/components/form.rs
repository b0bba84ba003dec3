//! Forms that save through a server function, with and without JavaScript, and never lose input.
//!
//! With JavaScript, [`ServerForm`] dispatches its server function and shows the refusal next to
//! the fields while the browser keeps what was typed. Without JavaScript, the form posts to the
//! page's own address; the server runs the same server function and either redirects (303) to
//! where it says, or renders the page again with a [`Rejected`] in context: the values as typed
//! and the error, which the fields pick up. Form server functions return the address to go to.

use super::ErrorNotice;
use crate::error::{AppError, FieldError};
use crate::revisions::model::Revision;
use leptos::{
    ev::SubmitEvent,
    form::FromFormData,
    prelude::*,
    server_fn::{
        codec::{Json, PostUrl},
        Http, ServerFn,
    },
};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// Hidden field naming the server function a no-JS post runs.
pub const FN_FIELD: &str = "_fn";
/// Hidden field naming which form on the page was posted.
pub const FORM_FIELD: &str = "_form";

/// A form post that was refused, replayed into the page that sent it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rejected {
    /// The `_form` id of the form that was posted.
    pub form: String,
    /// The values as typed, in form order.
    pub values: Vec<(String, String)>,
    /// Why it was refused.
    pub error: AppError,
}

impl Rejected {
    /// The value typed into `field`, if it was posted.
    pub fn value(&self, field: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, value)| value.as_str())
    }
}

/// A JSON value as a form field holds it: nothing as empty text, numbers as Rust writes them.
pub fn form_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(|i| i.to_string())
            .or_else(|| n.as_f64().map(|f| f.to_string()))
            .unwrap_or_else(|| n.to_string()),
        other => other.to_string(),
    }
}

/// After a stale save, the value field `field` should take so that the other person's change is
/// not undone: their newest value when the user left the field as it was (`typed` equals the value
/// the form was loaded with), `None` when the user changed it too (their input wins) or when
/// nobody else touched it. `since` is newest first, as [`AppError::Stale`] carries it.
pub fn merged_value(field: &str, typed: &str, since: &[Revision]) -> Option<String> {
    let newest = since.iter().find_map(|r| r.changes.get(field))?;
    let loaded = since.iter().rev().find_map(|r| r.changes.get(field))?;
    (typed == form_text(&loaded.old)).then(|| form_text(&newest.new))
}

/// Applies [`merged_value`] to every posted value.
pub fn merge_stale(values: &mut [(String, String)], since: &[Revision]) {
    for (field, typed) in values.iter_mut() {
        if let Some(merged) = merged_value(field, typed, since) {
            *typed = merged;
        }
    }
}

/// The rejected post this page is being rendered for: on the server from the request's context;
/// in the browser it arrives with the page's resources, so hydration sees the same thing.
#[derive(Clone, Copy)]
struct RejectedPost(Resource<Option<Rejected>>);

/// Makes the rejected post of this request (if any) available to every [`ServerForm`]. Called once,
/// by the app's root.
pub fn provide_rejected_post() {
    let resource = Resource::new(
        || (),
        |_| {
            #[cfg(feature = "ssr")]
            let rejected = use_context::<Rejected>();
            #[cfg(not(feature = "ssr"))]
            let rejected = None;
            async move { rejected }
        },
    );
    provide_context(RejectedPost(resource));
}

/// What the fields of one form share: the values to start from and the errors to show.
#[derive(Clone, Copy)]
struct FormState {
    /// The form's id: field ids start with it, so several forms on a page never share one.
    form_id: StoredValue<String>,
    replay: StoredValue<Option<Rejected>>,
    field_errors: RwSignal<Vec<FieldError>>,
    /// The record's revision learnt from a refused stale save: the next save is based on it.
    newer_revision: RwSignal<Option<i64>>,
}

impl FormState {
    fn error(&self, field: &str) -> Option<String> {
        self.field_errors.with(|errors| {
            errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone())
        })
    }

    fn initial(&self, field: &str, stored: String) -> String {
        self.replay
            .with_value(|replay| {
                replay
                    .as_ref()
                    .and_then(|r| r.value(field).map(str::to_owned))
            })
            .unwrap_or(stored)
    }
}

/// Splits an error into the messages shown next to `fields` and the one shown above the form.
fn split(error: AppError, fields: &[&str]) -> (Vec<FieldError>, Option<AppError>) {
    match error {
        AppError::Validation(errors) => {
            let (known, other): (Vec<_>, Vec<_>) = errors
                .into_iter()
                .partition(|e| fields.contains(&e.field.as_str()));
            let general = (!other.is_empty()).then_some(AppError::Validation(other));
            (known, general)
        }
        other => (Vec::new(), Some(other)),
    }
}

/// A form whose submission runs the server function `S`, which answers with the address to go
/// to next. `fields` lists the field names whose errors show next to the field; any other error
/// shows above the form. Put [`Field`]s (and any inputs named like `S`'s arguments) inside.
#[component]
pub fn ServerForm<S>(
    /// The action that runs the server function (the page may watch it, e.g. its version).
    action: ServerAction<S>,
    /// Identifies this form among others on the page (several forms may share `S`).
    id: String,
    /// Names of the fields inside, for placing errors.
    fields: &'static [&'static str],
    /// The submit button's label.
    submit: &'static str,
    /// Accessible name of the form.
    label: String,
    /// The fields.
    children: ChildrenFn,
) -> impl IntoView
where
    S: DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, Json>, Output = String, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    let rejected = expect_context::<RejectedPost>().0;
    let state = FormState {
        form_id: StoredValue::new(id.clone()),
        replay: StoredValue::new(None),
        field_errors: RwSignal::new(Vec::new()),
        newer_revision: RwSignal::new(None),
    };
    let general = RwSignal::new(None::<AppError>);

    let navigate = leptos_router::hooks::use_navigate();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move || match action.value().get() {
        Some(Ok(location)) => {
            // Saved: the form starts afresh in case the next page is this one again.
            if let Some(form) = form_ref.get_untracked() {
                form.reset();
            }
            state.field_errors.set(Vec::new());
            general.set(None);
            navigate(&location, Default::default());
        }
        Some(Err(error)) => {
            if let AppError::Stale {
                current_revision,
                since,
            } = &error
            {
                state.newer_revision.set(Some(*current_revision));
                if let Some(form) = form_ref.get_untracked() {
                    take_others_changes(&form, since);
                }
            }
            let (errors, other) = split(error, fields);
            state.field_errors.set(errors);
            general.set(other);
        }
        None => {}
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        match S::from_event(&ev) {
            Ok(input) => {
                action.dispatch(input);
            }
            Err(_) => general.set(Some(AppError::invalid(
                "form",
                "could not be read; please reload the page",
            ))),
        }
    };
    let pending = action.pending();
    let id = StoredValue::new(id);
    let children = StoredValue::new(children);
    // The replay arrives with the page's resources; the fields start from it (server and browser
    // alike, so hydration sees the same form).
    let body = move || {
        Suspend::new(async move {
            let replay = rejected.await.filter(|r| id.with_value(|id| &r.form == id));
            if let Some((errors, other)) = replay.as_ref().map(|r| split(r.error.clone(), fields)) {
                state.field_errors.set(errors);
                general.set(other);
            }
            state.replay.set_value(replay);
            view! {
                {move || general.get().map(|error| view! { <ErrorNotice error /> })}
                {children.with_value(|children| children())}
            }
        })
    };
    view! {
        <form
            node_ref=form_ref
            method="post"
            class="stacked-form"
            aria-label=label
            on:submit=on_submit
            novalidate
        >
            <input type="hidden" name=FN_FIELD value=S::url() />
            <input type="hidden" name=FORM_FIELD value=id.get_value() />
            // A Provider gives the fields their own owner: components share their parent's, so
            // two forms on one page would otherwise see each other's state.
            <leptos::context::Provider value=state>
                <Suspense>{body}</Suspense>
            </leptos::context::Provider>
            <div class="form-actions">
                <button type="submit" disabled=pending>
                    {move || if pending.get() { "Saving…" } else { submit }}
                </button>
            </div>
        </form>
    }
}

/// Puts the other person's newer values into the fields this user left untouched (browser side of
/// [`merge_stale`]), so that saving again does not undo their change.
fn take_others_changes(form: &leptos::web_sys::HtmlFormElement, since: &[Revision]) {
    use leptos::wasm_bindgen::JsCast;
    let elements = form.elements();
    for index in 0..elements.length() {
        let Some(element) = elements.item(index) else {
            continue;
        };
        let (name, typed) =
            if let Some(input) = element.dyn_ref::<leptos::web_sys::HtmlInputElement>() {
                (input.name(), input.value())
            } else if let Some(area) = element.dyn_ref::<leptos::web_sys::HtmlTextAreaElement>() {
                (area.name(), area.value())
            } else if let Some(select) = element.dyn_ref::<leptos::web_sys::HtmlSelectElement>() {
                (select.name(), select.value())
            } else {
                continue;
            };
        let Some(merged) = merged_value(&name, &typed, since) else {
            continue;
        };
        if let Some(input) = element.dyn_ref::<leptos::web_sys::HtmlInputElement>() {
            input.set_value(&merged);
        } else if let Some(area) = element.dyn_ref::<leptos::web_sys::HtmlTextAreaElement>() {
            area.set_value(&merged);
        } else if let Some(select) = element.dyn_ref::<leptos::web_sys::HtmlSelectElement>() {
            select.set_value(&merged);
        }
    }
}

/// The revision of the record the form was filled from, sent back so that a save based on an
/// older revision is refused as stale. After such a refusal it holds the newer revision, so saving
/// again (having seen the other change) applies the user's input on top.
#[component]
pub fn RevisionField(
    /// The record's revision when the page was loaded.
    value: i64,
) -> impl IntoView {
    let state = expect_context::<FormState>();
    let value = move || state.newer_revision.get().unwrap_or(value).to_string();
    view! { <input type="hidden" name="base_revision" value=value /> }
}

/// How a field is typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FieldKind {
    /// One line of text.
    #[default]
    Text,
    /// Several lines of text.
    TextArea,
    /// A calendar date.
    Date,
    /// A number.
    Number,
    /// An email address.
    Email,
    /// A password (never replayed).
    Password,
}

/// A labelled input of a [`ServerForm`], with its error (if any) right below it.
#[component]
pub fn Field(
    /// The argument of the form's server function this field fills.
    #[prop(into)]
    name: String,
    /// What the user sees.
    #[prop(into)]
    label: String,
    /// The stored value to start from (the typed value replaces it after a refused post).
    #[prop(into, optional)]
    value: String,
    /// How the field is typed.
    #[prop(optional)]
    kind: FieldKind,
    /// Whether the field must be filled (marked, and enforced by the server).
    #[prop(optional)]
    required: bool,
    /// A short help text below the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// Longest value accepted, in characters.
    #[prop(optional)]
    max_chars: Option<usize>,
) -> impl IntoView {
    let state = expect_context::<FormState>();
    let id = state.form_id.with_value(|form| format!("{form}-{name}"));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let value = if kind == FieldKind::Password {
        String::new()
    } else {
        state.initial(&name, value)
    };
    let key = StoredValue::new(name.clone());
    let error = move || key.with_value(|name| state.error(name));
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || error().is_some().then_some("true");
    let input = match kind {
        FieldKind::TextArea => view! {
            <textarea
                id=id.clone()
                name=name
                rows="4"
                maxlength=max_chars
                aria-invalid=invalid
                aria-describedby=described_by
            >
                {value}
            </textarea>
        }
        .into_any(),
        _ => {
            let input_type = match kind {
                FieldKind::Date => "date",
                FieldKind::Number => "text",
                FieldKind::Email => "email",
                FieldKind::Password => "password",
                _ => "text",
            };
            let input_mode = (kind == FieldKind::Number).then_some("decimal");
            view! {
                <input
                    id=id.clone()
                    name=name
                    type=input_type
                    inputmode=input_mode
                    value=value
                    maxlength=max_chars
                    required=required
                    aria-invalid=invalid
                    aria-describedby=described_by
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="field">
            <label for=id>
                {label}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            {input}
            {move || {
                error().map(|message| view! { <p class="field-error" id=error_id.clone()>{message}</p> })
            }}
        </div>
    }
}

/// A choice among fixed options, as a field of a [`ServerForm`].
#[component]
pub fn SelectField(
    /// The argument of the form's server function this field fills.
    #[prop(into)]
    name: String,
    /// What the user sees.
    #[prop(into)]
    label: String,
    /// `(value, label)` of each option.
    options: Vec<(String, String)>,
    /// The stored value to start from.
    #[prop(into, optional)]
    value: String,
) -> impl IntoView {
    let state = expect_context::<FormState>();
    let id = state.form_id.with_value(|form| format!("{form}-{name}"));
    let error_id = format!("{id}-error");
    let selected = state.initial(&name, value);
    let key = StoredValue::new(name.clone());
    let error = move || key.with_value(|name| state.error(name));
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=name
                aria-invalid=move || error().is_some().then_some("true")
                aria-describedby={
                    let error_id = error_id.clone();
                    move || error().is_some().then(|| error_id.clone())
                }
            >
                {options
                    .into_iter()
                    .map(|(value, label)| {
                        let is_selected = value == selected;
                        view! { <option value=value selected=is_selected>{label}</option> }
                    })
                    .collect_view()}
            </select>
            {move || {
                error().map(|message| view! { <p class="field-error" id=error_id.clone()>{message}</p> })
            }}
        </div>
    }
}

/// A ticked-or-not choice among several sharing `name` (sent as `name=value` when ticked), as a
/// field of a [`ServerForm`]; after a refused post it is ticked as the user left it.
#[component]
pub fn Checkbox(
    /// The argument of the form's server function (a list, e.g. `attendees[]`).
    name: &'static str,
    /// The value sent when ticked.
    #[prop(into)]
    value: String,
    /// Whether it starts ticked.
    #[prop(optional)]
    checked: bool,
    /// What the user sees next to the box.
    children: Children,
) -> impl IntoView {
    let state = expect_context::<FormState>();
    let checked = state.replay.with_value(|replay| match replay {
        Some(replay) => replay.values.iter().any(|(n, v)| n == name && *v == value),
        None => checked,
    });
    view! {
        <label class="checkbox">
            <input type="checkbox" name=name value=value checked=checked />
            {children()}
        </label>
    }
}

/// The error of a group of inputs (a fieldset) sharing `name`, shown where the group is.
#[component]
pub fn GroupError(
    /// The field name the server uses for the group.
    name: &'static str,
) -> impl IntoView {
    let state = expect_context::<FormState>();
    move || {
        state
            .error(name)
            .map(|message| view! { <p class="field-error" role="alert">{message}</p> })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_go_next_to_their_fields_and_the_rest_above_the_form() {
        let error = AppError::Validation(vec![
            FieldError::new("title", "is required"),
            FieldError::new("request", "is malformed"),
        ]);
        let (near, above) = split(error, &["title", "reason"]);
        assert_eq!(near, [FieldError::new("title", "is required")]);
        assert_eq!(
            above,
            Some(AppError::Validation(vec![FieldError::new(
                "request",
                "is malformed"
            )]))
        );
        let (near, above) = split(AppError::Forbidden, &["title"]);
        assert!(near.is_empty());
        assert_eq!(above, Some(AppError::Forbidden));
    }

    fn revision(n: i64, field: &str, old: serde_json::Value, new: serde_json::Value) -> Revision {
        Revision {
            revision: n,
            author_name: "Ada".into(),
            changed_at: "2026-12-04T10:00:00Z".into(),
            reason: "because".into(),
            changes: [(
                field.to_string(),
                crate::revisions::model::Change { old, new },
            )]
            .into(),
        }
    }

    #[test]
    fn a_stale_save_takes_the_other_change_only_where_the_user_left_the_field_alone() {
        use serde_json::json;
        // Newest first: the target went 10 → 12 → 15, the title changed once.
        let since = [
            revision(4, "target_value", json!(12.0), json!(15.0)),
            revision(3, "target_value", json!(10.0), json!(12.0)),
            revision(2, "title", json!("Old"), json!("New")),
        ];
        assert_eq!(
            merged_value("target_value", "10", &since).as_deref(),
            Some("15")
        );
        assert_eq!(merged_value("title", "Old", &since).as_deref(), Some("New"));
        assert_eq!(
            merged_value("title", "Mine", &since),
            None,
            "the user's input wins"
        );
        assert_eq!(
            merged_value("unit", "days", &since),
            None,
            "nobody else touched it"
        );
        let mut values = vec![
            ("title".to_string(), "Old".to_string()),
            ("target_value".to_string(), "11".to_string()),
        ];
        merge_stale(&mut values, &since);
        assert_eq!(values[0].1, "New");
        assert_eq!(values[1].1, "11");
        assert_eq!(form_text(&json!(null)), "");
        assert_eq!(form_text(&json!("2026-12-01")), "2026-12-01");
    }

    #[test]
    fn a_replay_gives_back_what_was_typed() {
        let rejected = Rejected {
            form: "outcome".into(),
            values: vec![("title".into(), "Cut churn".into())],
            error: AppError::Forbidden,
        };
        assert_eq!(rejected.value("title"), Some("Cut churn"));
        assert_eq!(rejected.value("reason"), None);
    }
}
