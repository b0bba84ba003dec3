//! The history of a record as a readable diff, newest first.

use super::model::{field_label, value_label, Revision};
use crate::components::format;
use leptos::prelude::*;

/// Revisions as a list: who, when, why, and each field's old and new value.
#[component]
pub fn RevisionList(
    /// Newest first.
    revisions: Vec<Revision>,
) -> impl IntoView {
    view! {
        <ol class="revisions">
            {revisions
                .into_iter()
                .map(|revision| {
                    let when = format::timestamp(&revision.changed_at);
                    view! {
                        <li class="revision">
                            <p class="revision-meta">
                                <strong>{format!("Revision {}", revision.revision)}</strong>
                                " · " {revision.author_name} " · "
                                <time datetime=revision.changed_at.clone()>{when}</time>
                            </p>
                            <p class="revision-reason">{revision.reason}</p>
                            <table class="diff">
                                <thead>
                                    <tr>
                                        <th scope="col">"Field"</th>
                                        <th scope="col">"Before"</th>
                                        <th scope="col">"After"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {revision
                                        .changes
                                        .iter()
                                        .map(|(field, change)| {
                                            view! {
                                                <tr>
                                                    <th scope="row">{field_label(field)}</th>
                                                    <td class="old">{value_label(&change.old)}</td>
                                                    <td class="new">{value_label(&change.new)}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    // Erased: the history nests in error notices, and its full type would be too deep to compile.
    .into_any()
}
