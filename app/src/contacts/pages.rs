//! `/accounts/:id/contacts/new` and `/contacts/:id/edit` (with removal).

use super::api::{get_contact, AddContact, EditContact, RemoveContact};
use super::model::{ContactDetail, ContactForm};
use crate::accounts::api::get_account;
use crate::accounts::model::ContactRole;
use crate::components::form::{Field, FieldKind, SelectField, ServerForm};
use crate::components::{route_id, ErrorNotice};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

const CONTACT_FIELDS: &[&str] = &["name", "email", "title", "role"];

/// The fields of the contact form, shared by the new and edit pages.
#[component]
fn ContactFieldset(stored: ContactForm) -> impl IntoView {
    let roles = ContactRole::ALL
        .into_iter()
        .map(|r| (r.as_str().to_string(), r.label().to_string()))
        .collect::<Vec<_>>();
    view! {
        <div class="field-row">
            <Field name="name" label="Name" value=stored.name required=true max_chars=200 />
            <Field name="title" label="Job title" value=stored.title max_chars=200 />
        </div>
        <div class="field-row">
            <Field name="email" label="Email" kind=FieldKind::Email value=stored.email />
            <SelectField
                name="role"
                label="Role"
                options=roles
                value=stored.role
            />
        </div>
    }
}

/// A new contact for the account.
#[component]
pub fn NewContactPage() -> impl IntoView {
    let id = route_id();
    let account = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_account(id).await,
                None => Err(AppError::NotFound("account".into())),
            }
        },
    );
    let action = ServerAction::<AddContact>::new();
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading account…"</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(detail) if detail.can_edit => {
                        let account_id = detail.account.id;
                        let stored = ContactForm {
                            role: ContactRole::Champion.as_str().to_string(),
                            ..ContactForm::default()
                        };
                        view! {
                            <Title text=format!("New contact · {} · Keystone", detail.account.name) />
                            <p class="breadcrumb">
                                <a href=format!("/accounts/{account_id}")>
                                    "← " {detail.account.name.clone()}
                                </a>
                            </p>
                            <h1>"New contact"</h1>
                            <ServerForm
                                action
                                id="new-contact".to_string()
                                label="New contact".to_string()
                                fields=CONTACT_FIELDS
                                submit="Add contact"
                            >
                                <input type="hidden" name="account_id" value=account_id />
                                <ContactFieldset stored=stored.clone() />
                            </ServerForm>
                        }
                            .into_any()
                    }
                    Ok(_) => view! { <ErrorNotice error=AppError::Forbidden /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Editing a contact, and removing it.
#[component]
pub fn EditContactPage() -> impl IntoView {
    let id = route_id();
    let contact = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_contact(id).await,
                None => Err(AppError::NotFound("contact".into())),
            }
        },
    );
    let edit = ServerAction::<EditContact>::new();
    let remove = ServerAction::<RemoveContact>::new();
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading contact…"</p> }>
            {move || Suspend::new(async move {
                match contact.await {
                    Ok(ContactDetail { contact, account_name, can_edit: true, attended }) => {
                        let id = contact.id;
                        let stored = ContactForm::of(&contact);
                        let removal = if attended {
                            "They attended a review, so they are archived: gone from the account, kept in the review history."
                        } else {
                            "They never attended a review, so they are deleted."
                        };
                        view! {
                            <Title text=format!("{} · Keystone", contact.name) />
                            <p class="breadcrumb">
                                <a href=format!("/accounts/{}", contact.account_id)>
                                    "← " {account_name}
                                </a>
                            </p>
                            <h1>{format!("Edit {}", contact.name)}</h1>
                            <ServerForm
                                action=edit
                                id=format!("contact-{id}")
                                label="Edit contact".to_string()
                                fields=CONTACT_FIELDS
                                submit="Save contact"
                            >
                                <input type="hidden" name="contact_id" value=id />
                                <ContactFieldset stored=stored.clone() />
                            </ServerForm>
                            <ServerForm
                                action=remove
                                id=format!("remove-contact-{id}")
                                label="Remove contact".to_string()
                                fields=&[]
                                submit="Remove contact"
                            >
                                <h2>"Remove"</h2>
                                <p class="muted">{removal}</p>
                                <input type="hidden" name="contact_id" value=id />
                            </ServerForm>
                        }
                            .into_any()
                    }
                    Ok(_) => view! { <ErrorNotice error=AppError::Forbidden /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
