//! `/admin` (users and API tokens) and `/admin/audit` (the audit log), for admins.

use super::api::{admin_overview, list_audit, AddUser, DisableUser, RevokeToken, SetUserRole};
use super::model::{AdminData, AuditQuery, AUDIT_PAGE_SIZE};
use crate::components::form::{Field, FieldKind, SelectField, ServerForm};
use crate::components::{format, ErrorNotice, Pagination, TableOrEmpty};
use crate::shell::SignedIn;
use crate::users::model::{Permission, Role};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Users and API tokens at a glance.
#[component]
pub fn AdminPage() -> impl IntoView {
    let query = use_query_map();
    let set_role = ServerAction::<SetUserRole>::new();
    let disable = ServerAction::<DisableUser>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let add = ServerAction::<AddUser>::new();
    // Reloaded after every action, so the tables show what the server now holds.
    let overview = Resource::new(
        move || {
            (
                set_role.version().get(),
                disable.version().get(),
                revoke.version().get(),
                add.version().get(),
            )
        },
        |_| admin_overview(),
    );
    let last_error = move || {
        [
            set_role.value().get(),
            disable.value().get(),
            revoke.value().get(),
        ]
        .into_iter()
        .flatten()
        .find_map(Result::err)
    };
    view! {
        <h1>"Admin"</h1>
        {move || last_error().map(|error| view! { <ErrorNotice error /> })}
        <p>
            <a href="/admin/audit">"Audit log"</a>
            " · "
            <a href="/admin/targets">"Targets"</a>
            " · Create API tokens with " <code>"keystone token create"</code>
            " (the token is shown once, in the terminal)."
        </p>
        {move || {
            query
                .with(|q| q.get("added"))
                .map(|_| {
                    view! {
                        <div class="notice notice-success" role="status">
                            <p>"User added. They can sign in with the password you set."</p>
                        </div>
                    }
                })
        }}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok(AdminData { me, users, tokens }) => {
                        let no_tokens = tokens.is_empty();
                        view! {
                            <section aria-labelledby="users-heading">
                                <h2 id="users-heading">"Users"</h2>
                                <TableOrEmpty empty=users.is_empty() message="No users yet.">
                                    <table class="data">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Name"</th>
                                                <th scope="col">"Email"</th>
                                                <th scope="col">"Role"</th>
                                                <th scope="col" class="num">"Accounts"</th>
                                                <th scope="col">"Status"</th>
                                                <th scope="col">"Actions"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {users
                                                .into_iter()
                                                .map(|u| {
                                                    let status = match (&u.disabled_at, u.can_sign_in) {
                                                        (Some(_), _) => "Disabled",
                                                        (None, false) => "No password",
                                                        (None, true) => "Active",
                                                    };
                                                    let can_disable = u.disabled_at.is_none() && u.id != me;
                                                    let role_label = format!("Role of {}", u.name);
                                                    let disable_label = format!("Disable {}", u.name);
                                                    let role_options = Role::ALL
                                                        .into_iter()
                                                        .map(|role| {
                                                            view! {
                                                                <option value=role.as_str() selected=role == u.role>
                                                                    {role.as_str()}
                                                                </option>
                                                            }
                                                        })
                                                        .collect_view();
                                                    view! {
                                                        <tr>
                                                            <td>{u.name.clone()}</td>
                                                            <td>{u.email}</td>
                                                            <td>{u.role.as_str()}</td>
                                                            <td class="num">{format::count(u.accounts)}</td>
                                                            <td>{status}</td>
                                                            <td class="actions">
                                                                <ActionForm action=set_role>
                                                                    <input type="hidden" name="user_id" value=u.id />
                                                                    <select
                                                                        name="role"
                                                                        aria-label=role_label
                                                                    >
                                                                        {role_options}
                                                                    </select>
                                                                    <button type="submit" class="secondary">
                                                                        "Change role"
                                                                    </button>
                                                                </ActionForm>
                                                                {can_disable
                                                                    .then(|| {
                                                                        view! {
                                                                            <ActionForm action=disable>
                                                                                <input type="hidden" name="user_id" value=u.id />
                                                                                <button
                                                                                    type="submit"
                                                                                    class="danger"
                                                                                    aria-label=disable_label.clone()
                                                                                >
                                                                                    "Disable"
                                                                                </button>
                                                                            </ActionForm>
                                                                        }
                                                                    })}
                                                            </td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </TableOrEmpty>
                            </section>
                            <section aria-labelledby="tokens-heading">
                                <h2 id="tokens-heading">"API tokens"</h2>
                                <TableOrEmpty empty=no_tokens message="No API tokens yet.">
                                    <table class="data">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Name"</th>
                                                <th scope="col">"Role"</th>
                                                <th scope="col">"Created"</th>
                                                <th scope="col">"Last used"</th>
                                                <th scope="col">"Status"</th>
                                                <th scope="col">"Actions"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {tokens
                                                .into_iter()
                                                .map(|t| {
                                                    let revoke_label = format!("Revoke {}", t.name);
                                                    view! {
                                                        <tr>
                                                            <td>{t.name}</td>
                                                            <td>{t.role.as_str()}</td>
                                                            <td>{t.created_at}</td>
                                                            <td>{t.last_used_at.unwrap_or_else(|| "never".into())}</td>
                                                            <td>
                                                                {if t.revoked_at.is_some() { "Revoked" } else { "Live" }}
                                                            </td>
                                                            <td class="actions">
                                                                {t
                                                                    .revoked_at
                                                                    .is_none()
                                                                    .then(|| {
                                                                        view! {
                                                                            <ActionForm action=revoke>
                                                                                <input type="hidden" name="token_id" value=t.id />
                                                                                <button
                                                                                    type="submit"
                                                                                    class="danger"
                                                                                    aria-label=revoke_label.clone()
                                                                                >
                                                                                    "Revoke"
                                                                                </button>
                                                                            </ActionForm>
                                                                        }
                                                                    })}
                                                            </td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </TableOrEmpty>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
        // Outside the tables' Transition: reloading them after a save must not reset the form.
        <AddUserForm action=add />
    }
}

/// The audit log, filtered by actor, action, object and date, newest first.
#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_query_map();
    let data = Resource::new(
        move || params.with(|p| AuditQuery::from_params(|k| p.get(k))),
        |query| async move { list_audit(query.clone()).await.map(|page| (query, page)) },
    );
    view! {
        <p class="breadcrumb">
            <a href="/admin">"← Admin"</a>
        </p>
        <h1>"Audit log"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    Ok((query, page)) => {
                        let pages = ((page.total + AUDIT_PAGE_SIZE - 1) / AUDIT_PAGE_SIZE).max(1);
                        let current = u32::try_from(query.page).unwrap_or(1);
                        let count = u32::try_from(pages).unwrap_or(u32::MAX);
                        view! {
                            <form method="get" action="/admin/audit" class="filters" role="search">
                                <label>
                                    <span>"Actor"</span>
                                    <input type="search" name="actor" value=query.actor.clone() />
                                </label>
                                <label>
                                    <span>"Action"</span>
                                    <input
                                        type="search"
                                        name="action"
                                        placeholder="e.g. user."
                                        value=query.action.clone()
                                    />
                                </label>
                                <label>
                                    <span>"Object type"</span>
                                    <input type="search" name="object_type" value=query.object_type.clone() />
                                </label>
                                <label>
                                    <span>"From"</span>
                                    <input type="date" name="from" value=query.from.clone() />
                                </label>
                                <label>
                                    <span>"To"</span>
                                    <input type="date" name="to" value=query.to.clone() />
                                </label>
                                <button type="submit">"Filter"</button>
                            </form>
                            <p class="result-count" role="status">
                                {format!("{} events", format::count(page.total))}
                            </p>
                            <TableOrEmpty empty=page.items.is_empty() message="No events match.">
                                <table class="data">
                                    <thead>
                                        <tr>
                                            <th scope="col">"When (UTC)"</th>
                                            <th scope="col">"Actor"</th>
                                            <th scope="col">"Action"</th>
                                            <th scope="col">"Object"</th>
                                            <th scope="col">"Details"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page
                                            .items
                                            .into_iter()
                                            .map(|e| {
                                                let object = match e.object_id {
                                                    Some(id) => format!("{} {id}", e.object_type),
                                                    None => e.object_type,
                                                };
                                                view! {
                                                    <tr>
                                                        <td>{e.at}</td>
                                                        <td>{format!("{} ({})", e.actor_name, e.actor_kind)}</td>
                                                        <td>{e.action}</td>
                                                        <td>{object}</td>
                                                        <td><code>{e.summary}</code></td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </TableOrEmpty>
                            <Pagination
                                current
                                count
                                href=move |target| query.page_link(i64::from(target))
                                previous="← Newer"
                                next="Older →"
                            />
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Adds a user with an initial password (they can change it later with an admin's help).
#[component]
fn AddUserForm(action: ServerAction<AddUser>) -> impl IntoView {
    let roles = Role::ALL
        .into_iter()
        .map(|role| (role.as_str().to_string(), role.as_str().to_string()))
        .collect::<Vec<_>>();
    let user = expect_context::<SignedIn>().0;
    let form = move || {
        let roles = roles.clone();
        Suspend::new(async move {
            let admin = user
                .await
                .is_ok_and(|user| Permission::Administer.allows(user.role));
            admin.then(|| view! { <AddUserFields action roles /> })
        })
    };
    view! { <Suspense>{form}</Suspense> }
}

/// The add-user form itself.
#[component]
fn AddUserFields(action: ServerAction<AddUser>, roles: Vec<(String, String)>) -> impl IntoView {
    view! {
        <section aria-labelledby="add-user-heading">
            <h2 id="add-user-heading">"Add a user"</h2>
            <ServerForm
                action
                id="add-user".to_string()
                label="Add a user".to_string()
                fields=&["email", "name", "role", "password"]
                submit="Add user"
            >
                <div class="field-row">
                    <Field name="name" label="Name" required=true max_chars=200 />
                    <Field name="email" label="Email" kind=FieldKind::Email required=true />
                </div>
                <div class="field-row">
                    <SelectField name="role" label="Role" options=roles.clone() value="csm" />
                    <Field
                        name="password"
                        label="Initial password"
                        kind=FieldKind::Password
                        required=true
                        max_chars=128
                        hint="12 to 128 characters. Give it to the user in person or by a separate channel."
                    />
                </div>
            </ServerForm>
        </section>
    }
}
