//! Forms that save through a server function, with and without JavaScript, and never lose input.
//!
//! With JavaScript, [`ServerForm`] dispatches its server function and shows the refusal next to
//! the fields while the browser keeps what was typed. Without JavaScript, the form posts to the
//! page's own address; the server runs the same server function and either redirects (303) to
//! where it says, or renders the page again with a [`Rejected`] in context: the values as typed
//! and the error, which the fields pick up. Form server functions return the address to go to.

use super::ErrorNotice;
use crate::error::{AppError, FieldError};
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
        replay: StoredValue::new(None),
        field_errors: RwSignal::new(Vec::new()),
        newer_revision: RwSignal::new(None),
    };
    let general = RwSignal::new(None::<AppError>);
    provide_context(state);

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
                current_revision, ..
            } = &error
            {
                state.newer_revision.set(Some(*current_revision));
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
            <Suspense>{body}</Suspense>
            <div class="form-actions">
                <button type="submit" disabled=pending>
                    {move || if pending.get() { "Saving…" } else { submit }}
                </button>
            </div>
        </form>
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
    name: &'static str,
    /// What the user sees.
    label: &'static str,
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
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let value = if kind == FieldKind::Password {
        String::new()
    } else {
        state.initial(name, value)
    };
    let error = move || state.error(name);
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
    name: &'static str,
    /// What the user sees.
    label: &'static str,
    /// `(value, label)` of each option.
    options: Vec<(String, String)>,
    /// The stored value to start from.
    #[prop(into, optional)]
    value: String,
) -> impl IntoView {
    let state = expect_context::<FormState>();
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let selected = state.initial(name, value);
    let error = move || state.error(name);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=name
                aria-invalid=move || error().is_some().then_some("true")
                aria-describedby=move || error().is_some().then(|| error_id.clone())
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
                error().map(|message| view! { <p class="field-error" id=format!("field-{name}-error")>{message}</p> })
            }}
        </div>
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
