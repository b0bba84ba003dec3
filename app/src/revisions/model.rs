//! A revision and the diff that makes one.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The old and new value of one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Before the change (`null` when the record was created).
    pub old: Value,
    /// After the change.
    pub new: Value,
}

/// What changed, by field name.
pub type Changes = BTreeMap<String, Change>;

/// One change of a record, as the API and the history show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Revision {
    /// 1 for the creation, then one more per change.
    pub revision: i64,
    /// Who made the change.
    pub author_name: String,
    /// When (RFC 3339, UTC).
    pub changed_at: String,
    /// Why, in the author's words.
    pub reason: String,
    /// Old and new value per changed field.
    #[cfg_attr(feature = "ssr", sqlx(json))]
    pub changes: Changes,
}

/// The fields whose value differs between `old` and `new` (both list the same fields, in order).
/// With no `old` (a creation), every field with a value is a change from `null`.
pub fn diff(old: Option<&[(&str, Value)]>, new: &[(&str, Value)]) -> Changes {
    new.iter()
        .filter_map(|(field, new_value)| {
            let old_value = old
                .and_then(|old| old.iter().find(|(name, _)| name == field))
                .map(|(_, value)| value.clone())
                .unwrap_or(Value::Null);
            (old_value != *new_value).then(|| {
                (
                    (*field).to_string(),
                    Change {
                        old: old_value,
                        new: new_value.clone(),
                    },
                )
            })
        })
        .collect()
}

/// A field name as people read it: `expires_on` → "Expires on".
pub fn field_label(field: &str) -> String {
    let words = field.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether `text` looks like an enumerated value: lowercase words joined by underscores.
fn is_enum_value(text: &str) -> bool {
    text.contains('_')
        && text
            .split('_')
            .all(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase()))
}

/// A value as people read it: text in quotes, numbers as written, nothing as "—".
pub fn value_label(value: &Value) -> String {
    match value {
        Value::Null => "—".to_string(),
        Value::String(text) if text.is_empty() => "(empty)".to_string(),
        Value::String(text) => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(day) => crate::components::format::date(day),
            // Enumerated values (`on_track`) read as words (“On track” would suggest typed text).
            Err(_) if is_enum_value(text) => field_label(text),
            Err(_) => format!("“{text}”"),
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_fields_whose_value_changed_are_kept() {
        let old = [("title", json!("Cut churn")), ("target_value", json!(5.0))];
        let new = [("title", json!("Cut churn")), ("target_value", json!(3.5))];
        let changes = diff(Some(&old), &new);
        assert_eq!(changes.len(), 1);
        assert_eq!(
            changes["target_value"],
            Change {
                old: json!(5.0),
                new: json!(3.5)
            }
        );
    }

    #[test]
    fn a_creation_changes_every_field_with_a_value_from_null() {
        let new = [("title", json!("Cut churn")), ("unit", Value::Null)];
        let changes = diff(None, &new);
        assert_eq!(changes.keys().collect::<Vec<_>>(), ["title"]);
        assert_eq!(changes["title"].old, Value::Null);
    }

    #[test]
    fn an_unchanged_record_has_no_changes() {
        let same = [("title", json!("A")), ("status", json!("on_track"))];
        assert!(diff(Some(&same), &same).is_empty());
    }

    #[test]
    fn labels_read_like_words() {
        assert_eq!(field_label("expires_on"), "Expires on");
        assert_eq!(value_label(&Value::Null), "—");
        assert_eq!(value_label(&json!("")), "(empty)");
        assert_eq!(value_label(&json!("Grow usage")), "“Grow usage”");
        assert_eq!(value_label(&json!(12.5)), "12.5");
        assert_eq!(value_label(&json!("2027-06-18")), "18 Jun 2027");
        assert_eq!(value_label(&json!("at_risk")), "At risk");
        assert_eq!(value_label(&json!("Grow")), "“Grow”");
    }
}
