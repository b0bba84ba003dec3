//! Pure generation of demo records: no database, so it is deterministic and unit-testable.
//!
//! The story the data tells: two years ago a CS organisation started the Keystone method with
//! about a fifth of its accounts covered by a current Business Outcome; CSMs adopted it at
//! different speeds (each has a `discipline`), so coverage rose to about four fifths and reviews
//! became more regular, and renewals were a little better where reviews were held.

use super::names;
use super::rng::Rng;
use app::outcomes::model::is_current;
use chrono::{Days, Months, NaiveDate};

/// Length of the demo's history.
pub const HISTORY_DAYS: u64 = 730;

/// A user to create.
#[derive(Clone, Debug, PartialEq)]
pub struct NewUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: &'static str,
}

/// A CSM and how consistently they follow the method (0.2 to 1.0).
#[derive(Clone, Debug, PartialEq)]
pub struct Csm {
    pub user_id: i64,
    pub discipline: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewAccount {
    pub id: i64,
    pub name: String,
    pub external_id: String,
    pub owner_id: i64,
    pub segment: &'static str,
    pub arr: i64,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub renewal_date: Option<NaiveDate>,
    pub cadence_days: Option<i64>,
    pub pilot: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewContact {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub email: String,
    pub title: String,
    pub role: &'static str,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewOutcome {
    pub id: i64,
    pub account_id: i64,
    pub title: String,
    pub description: String,
    pub success_measure: String,
    pub baseline_value: f64,
    pub target_value: f64,
    pub unit: String,
    pub valid_from: NaiveDate,
    pub expires_on: NaiveDate,
    pub retired_on: Option<NaiveDate>,
    pub status: &'static str,
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewRevision {
    pub outcome_id: i64,
    pub revision: i64,
    pub author_id: i64,
    pub changed_at: String,
    pub reason: String,
    pub changes: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewReview {
    pub id: i64,
    pub account_id: i64,
    pub scheduled_on: NaiveDate,
    pub held_on: Option<NaiveDate>,
    pub cancelled_at: Option<String>,
    pub cancel_reason: Option<String>,
    pub notes: String,
    pub created_by: i64,
    pub created_at: String,
}

/// An attendee: a contact (`contact_id`) or an internal user (`user_id`).
#[derive(Clone, Debug, PartialEq)]
pub struct NewAttendee {
    pub review_id: i64,
    pub contact_id: Option<i64>,
    pub user_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewAssessment {
    pub review_id: i64,
    pub outcome_id: i64,
    pub status: &'static str,
    pub comment: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewRenewal {
    pub account_id: i64,
    pub due_on: NaiveDate,
    pub result: &'static str,
    pub arr_before: i64,
    pub arr_after: Option<i64>,
}

/// Everything generated for one account.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bundle {
    pub accounts: Vec<NewAccount>,
    pub contacts: Vec<NewContact>,
    pub outcomes: Vec<NewOutcome>,
    pub revisions: Vec<NewRevision>,
    pub reviews: Vec<NewReview>,
    pub attendees: Vec<NewAttendee>,
    pub assessments: Vec<NewAssessment>,
    pub renewals: Vec<NewRenewal>,
}

/// Next free id of each table, so records can reference each other before they are inserted.
#[derive(Clone, Debug)]
pub struct Ids {
    contact: i64,
    outcome: i64,
    review: i64,
}

impl Default for Ids {
    fn default() -> Self {
        Self {
            contact: 1,
            outcome: 1,
            review: 1,
        }
    }
}

fn next(id: &mut i64) -> i64 {
    let value = *id;
    *id += 1;
    value
}

/// The demo's people: one user per role, then the CSMs (about one per 100 accounts).
pub fn users(accounts: usize, seed: u64) -> (Vec<NewUser>, Vec<Csm>) {
    let fixed = [
        ("admin@keystone.demo", "Ada Admin", "admin"),
        ("leader@keystone.demo", "Lena Leader", "leader"),
        ("pilot@keystone.demo", "Pia Pilot", "pilot"),
        ("viewer@keystone.demo", "Victor Viewer", "viewer"),
    ];
    let mut users: Vec<NewUser> = fixed
        .iter()
        .enumerate()
        .map(|(i, (email, name, role))| NewUser {
            id: i as i64 + 1,
            email: (*email).to_string(),
            name: (*name).to_string(),
            role,
        })
        .collect();
    let csm_count = accounts.div_ceil(100).max(1);
    let mut rng = Rng::new(seed, u64::MAX);
    let mut csms = Vec::with_capacity(csm_count);
    for n in 0..csm_count {
        let id = users.len() as i64 + 1;
        let (first, last) = (*rng.pick(names::FIRST_NAMES), *rng.pick(names::LAST_NAMES));
        // The first CSM has a memorable address for the README's demo logins.
        let email = if n == 0 {
            "csm@keystone.demo".to_string()
        } else {
            format!("csm{}@keystone.demo", n + 1)
        };
        users.push(NewUser {
            id,
            email,
            name: format!("{first} {last}"),
            role: "csm",
        });
        csms.push(Csm {
            user_id: id,
            discipline: rng.real(0.2, 1.0),
        });
    }
    (users, csms)
}

/// The plain letter of an accented lower-case letter of the name lists (for email addresses).
fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'ä' | 'â' | 'ã' => 'a',
        'é' | 'è' | 'ë' | 'ê' => 'e',
        'í' | 'ï' => 'i',
        'ó' | 'ö' | 'ô' | 'ø' => 'o',
        'ú' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        other => other,
    }
}

fn add_days(day: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        day.checked_add_days(Days::new(days as u64)).unwrap_or(day)
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
            .unwrap_or(day)
    }
}

fn add_years(day: NaiveDate, years: u32) -> NaiveDate {
    day.checked_add_months(Months::new(12 * years))
        .unwrap_or(day)
}

fn timestamp(day: NaiveDate, hour: u32) -> String {
    format!("{day}T{hour:02}:00:00Z")
}

fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// One outcome's history while it is generated: dated events become revisions at the end.
struct OutcomeDraft {
    outcome: NewOutcome,
    /// (date, hour, reason, changes JSON), in any order.
    events: Vec<(NaiveDate, u32, String, String)>,
}

/// A revision's `changes` JSON for one field.
fn change(field: &str, old: Option<&str>, new: &str) -> String {
    serde_json::json!({ field: { "old": old, "new": new } }).to_string()
}

fn next_status(rng: &mut Rng, from: &'static str) -> &'static str {
    let r = rng.unit();
    match from {
        "on_track" if r < 0.80 => "on_track",
        "on_track" if r < 0.93 => "at_risk",
        "on_track" if r < 0.97 => "off_track",
        "on_track" => "achieved",
        "at_risk" if r < 0.45 => "on_track",
        "at_risk" if r < 0.80 => "at_risk",
        "at_risk" => "off_track",
        "off_track" if r < 0.20 => "on_track",
        "off_track" if r < 0.50 => "at_risk",
        "off_track" => "off_track",
        _ => "achieved",
    }
}

/// Generates account number `index` (0-based) of the demo, with everything that hangs off it.
pub fn account(
    index: usize,
    seed: u64,
    today: NaiveDate,
    csms: &[Csm],
    ids: &mut Ids,
    bundle: &mut Bundle,
) {
    let mut rng = Rng::new(seed, index as u64);
    let account_id = index as i64 + 1;
    let csm = &csms[index % csms.len()];
    let discipline = csm.discipline;
    let history_start = add_days(today, -(HISTORY_DAYS as i64));

    // Facts.
    let (segment, cadence, arr) = match rng.unit() {
        r if r < 0.15 => ("Enterprise", 90, rng.range(1_500, 15_000) * 100),
        r if r < 0.50 => ("Mid-Market", 120, rng.range(300, 2_000) * 100),
        _ => ("SMB", 180, rng.range(50, 400) * 100),
    };
    let cadence_override = rng
        .chance(0.05)
        .then_some(if cadence > 90 { 90 } else { 60 });
    let cadence = cadence_override.unwrap_or(cadence);
    let start_date = if rng.chance(0.7) {
        add_days(history_start, -rng.range(1, 5 * 365))
    } else {
        add_days(history_start, rng.range(0, HISTORY_DAYS as i64 - 1))
    };
    let anniversaries: Vec<NaiveDate> = (1..=8)
        .map(|y| add_years(start_date, y))
        .filter(|d| *d > history_start)
        .collect();
    let churn_p = 0.14 - 0.10 * discipline;
    let end_date = anniversaries
        .iter()
        .filter(|d| **d <= today)
        .find(|_| rng.chance(churn_p))
        .copied();
    let renewal_date = match end_date {
        Some(_) => None,
        None => anniversaries.iter().find(|d| **d > today).copied(),
    };
    let name = format!(
        "{} {} {}",
        rng.pick(names::COMPANY_FIRST),
        rng.pick(names::COMPANY_SECOND),
        rng.pick(names::COMPANY_SUFFIX)
    );
    let domain: String = name
        .split_whitespace()
        .take(2)
        .collect::<String>()
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();

    // Renewals: every anniversary in the history, and the next one if it is within a year.
    let mut arr_now = arr;
    for due_on in anniversaries.iter().copied() {
        if due_on > today {
            if due_on <= add_days(today, 365) && end_date.is_none() {
                bundle.renewals.push(NewRenewal {
                    account_id,
                    due_on,
                    result: "pending",
                    arr_before: arr_now,
                    arr_after: None,
                });
            }
            break;
        }
        let churned = end_date == Some(due_on);
        let arr_after = if churned {
            0
        } else {
            (arr_now as f64 * rng.real(0.92, 1.2)).round() as i64 / 100 * 100
        };
        bundle.renewals.push(NewRenewal {
            account_id,
            due_on,
            result: if churned { "churned" } else { "renewed" },
            arr_before: arr_now,
            arr_after: Some(arr_after),
        });
        if churned {
            break;
        }
        arr_now = arr_after;
    }
    let last_day = end_date
        .map(|d| add_days(d, -1))
        .unwrap_or(today)
        .min(today);

    // Contacts.
    let mut contact_ids: Vec<(i64, bool)> = Vec::new();
    let mut roles: Vec<&'static str> = Vec::new();
    if rng.chance(0.7) {
        roles.push("decision_maker");
    }
    if rng.chance(0.45) {
        roles.push("executive_sponsor");
    }
    roles.push("champion");
    roles.extend(std::iter::repeat_n(
        "day_to_day_user",
        rng.range(1, 2) as usize,
    ));
    for role in roles {
        let (first, last) = (*rng.pick(names::FIRST_NAMES), *rng.pick(names::LAST_NAMES));
        let executive = matches!(role, "decision_maker" | "executive_sponsor");
        let title = if executive {
            rng.pick(names::EXECUTIVE_TITLES)
        } else {
            rng.pick(names::OTHER_TITLES)
        };
        let id = next(&mut ids.contact);
        let local: String = format!("{first}.{last}")
            .to_lowercase()
            .chars()
            .map(fold_accent)
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect();
        bundle.contacts.push(NewContact {
            id,
            account_id,
            name: format!("{first} {last}"),
            email: format!("{local}@{domain}.example"),
            title: (*title).to_string(),
            role,
        });
        contact_ids.push((id, executive));
    }

    // Adoption: the day the account got its first Business Outcome, if it did.
    let adoption = if start_date < history_start {
        let q = rng.unit() * (1.3 - 0.6 * discipline);
        if q < 0.2 {
            Some(add_days(history_start, -rng.range(1, 300)).max(start_date))
        } else if q < 0.82 {
            Some(add_days(
                history_start,
                ((q - 0.2) / 0.62 * HISTORY_DAYS as f64) as i64,
            ))
        } else {
            None
        }
    } else {
        let maturity = days_between(history_start, start_date) as f64 / HISTORY_DAYS as f64;
        let p = (0.2 + 0.7 * maturity) * (0.7 + 0.5 * discipline);
        rng.chance(p).then(|| {
            let delay = if rng.chance(0.75) {
                rng.range(3, 25)
            } else {
                rng.range(31, 120)
            };
            add_days(start_date, delay)
        })
    }
    .filter(|a| *a <= last_day);

    let Some(adopted_on) = adoption else {
        bundle.accounts.push(NewAccount {
            id: account_id,
            name,
            external_id: format!("CRM-{account_id:07}"),
            owner_id: csm.user_id,
            segment,
            arr: arr_now,
            start_date,
            end_date,
            renewal_date,
            cadence_days: cadence_override,
            pilot: false,
        });
        return;
    };

    // Outcomes: a chain renewed (or replaced) year after year, sometimes lapsing, sometimes
    // retired early, and sometimes a second outcome alongside.
    let mut drafts: Vec<OutcomeDraft> = Vec::new();
    let mut new_outcome = |rng: &mut Rng, valid_from: NaiveDate, drafts: &mut Vec<OutcomeDraft>| {
        let (title, measure, baseline, target, unit) = *rng.pick(names::OUTCOMES);
        let expires_on = add_years(valid_from, 1);
        let created = add_days(valid_from, -rng.range(0, 10));
        let outcome = NewOutcome {
            id: next(&mut ids.outcome),
            account_id,
            title: title.to_string(),
            description: format!(
                "{title} across the {} organisation.",
                segment.to_lowercase()
            ),
            success_measure: measure.to_string(),
            baseline_value: baseline,
            target_value: target,
            unit: unit.to_string(),
            valid_from,
            expires_on,
            retired_on: None,
            status: "on_track",
            revision: 1,
            created_at: timestamp(created, 9),
            updated_at: timestamp(created, 9),
        };
        let created_changes = serde_json::json!({
            "title": { "old": null, "new": title },
            "valid_from": { "old": null, "new": valid_from.to_string() },
            "expires_on": { "old": null, "new": expires_on.to_string() },
            "status": { "old": null, "new": "on_track" },
        })
        .to_string();
        drafts.push(OutcomeDraft {
            outcome,
            events: vec![(created, 9, "Created".to_string(), created_changes)],
        });
    };
    let renew_p = 0.6 + 0.35 * discipline;
    new_outcome(&mut rng, adopted_on, &mut drafts);
    let mut chain = drafts.len() - 1;
    loop {
        let current = &mut drafts[chain];
        if rng.chance(0.05) {
            let retire_on = add_days(current.outcome.valid_from, rng.range(60, 300));
            if retire_on < current.outcome.expires_on && retire_on <= last_day {
                current.outcome.retired_on = Some(retire_on);
                current.events.push((
                    retire_on,
                    10,
                    "Customer changed priorities".to_string(),
                    change("retired_on", None, &retire_on.to_string()),
                ));
                new_outcome(&mut rng, retire_on, &mut drafts);
                chain = drafts.len() - 1;
                continue;
            }
        }
        let expires_on = current.outcome.expires_on;
        if expires_on >= last_day {
            break;
        }
        if rng.chance(renew_p) {
            if rng.chance(0.5) {
                let new_expiry = add_years(expires_on, 1);
                let on = add_days(expires_on, -rng.range(0, 20));
                current.outcome.expires_on = new_expiry;
                current.events.push((
                    on,
                    11,
                    "Renewed for another year with the sponsor".to_string(),
                    change(
                        "expires_on",
                        Some(&expires_on.to_string()),
                        &new_expiry.to_string(),
                    ),
                ));
            } else {
                new_outcome(&mut rng, add_days(expires_on, 1), &mut drafts);
                chain = drafts.len() - 1;
            }
        } else {
            let restart = add_days(expires_on, rng.range(20, 150));
            if restart > last_day {
                break;
            }
            new_outcome(&mut rng, restart, &mut drafts);
            chain = drafts.len() - 1;
        }
    }
    if rng.chance(0.4) {
        let second = add_days(adopted_on, rng.range(15, 200));
        if second <= last_day {
            new_outcome(&mut rng, second, &mut drafts);
        }
    }

    // Reviews: from shortly after adoption, at the cadence, punctual in proportion to the CSM's
    // discipline; each assesses some current outcomes and may move their status.
    let mut statuses: Vec<&'static str> = vec!["on_track"; drafts.len()];
    let on_time_p = 0.3 + 0.65 * discipline;
    let executive_p = 0.35 + 0.4 * discipline;
    let mut day = add_days(adopted_on, rng.range(14, 45));
    while day <= last_day {
        if rng.chance(0.04) {
            let id = next(&mut ids.review);
            bundle.reviews.push(NewReview {
                id,
                account_id,
                scheduled_on: day,
                held_on: None,
                cancelled_at: Some(timestamp(add_days(day, -2), 15)),
                cancel_reason: Some("Customer asked to reschedule".to_string()),
                notes: String::new(),
                created_by: csm.user_id,
                created_at: timestamp(add_days(day, -30), 9),
            });
            day = add_days(day, rng.range(7, 21));
            if day > last_day {
                break;
            }
        }
        let id = next(&mut ids.review);
        let current: Vec<usize> = drafts
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                is_current(
                    d.outcome.valid_from,
                    d.outcome.expires_on,
                    d.outcome.retired_on,
                    day,
                )
            })
            .map(|(i, _)| i)
            .collect();
        // A few reviews turn into status calls that assess nothing: they do not count.
        let assess = if rng.chance(0.05) {
            0
        } else {
            current.len().min(rng.range(1, 3) as usize)
        };
        for &i in current.iter().take(assess) {
            let old = statuses[i];
            let new = next_status(&mut rng, old);
            statuses[i] = new;
            bundle.assessments.push(NewAssessment {
                review_id: id,
                outcome_id: drafts[i].outcome.id,
                status: new,
                comment: if new == old {
                    "No change.".to_string()
                } else {
                    format!("Moved to {}.", new.replace('_', " "))
                },
            });
            if new != old {
                drafts[i].events.push((
                    day,
                    17,
                    format!("Assessed in the review held on {day}"),
                    change("status", Some(old), new),
                ));
            }
        }
        let executives: Vec<i64> = contact_ids.iter().filter(|c| c.1).map(|c| c.0).collect();
        let others: Vec<i64> = contact_ids.iter().filter(|c| !c.1).map(|c| c.0).collect();
        if !executives.is_empty() && rng.chance(executive_p) {
            bundle.attendees.push(NewAttendee {
                review_id: id,
                contact_id: Some(*rng.pick(&executives)),
                user_id: None,
            });
        }
        for contact in others.iter().take(rng.range(1, 2) as usize) {
            bundle.attendees.push(NewAttendee {
                review_id: id,
                contact_id: Some(*contact),
                user_id: None,
            });
        }
        bundle.attendees.push(NewAttendee {
            review_id: id,
            contact_id: None,
            user_id: Some(csm.user_id),
        });
        bundle.reviews.push(NewReview {
            id,
            account_id,
            scheduled_on: add_days(day, -rng.range(0, 5)),
            held_on: Some(day),
            cancelled_at: None,
            cancel_reason: None,
            notes: format!("{}\n\n{}", rng.pick(names::NOTES), rng.pick(names::NOTES)),
            created_by: csm.user_id,
            created_at: timestamp(add_days(day, -21), 9),
        });
        let interval = if rng.chance(on_time_p) {
            rng.real(0.75, 1.0)
        } else {
            rng.real(1.05, 1.8)
        };
        day = add_days(day, (cadence as f64 * interval) as i64);
    }
    // The next review, scheduled for most active accounts.
    if end_date.is_none() && rng.chance(0.6) {
        let scheduled_on = if day > today {
            day
        } else {
            add_days(today, rng.range(3, 30))
        };
        bundle.reviews.push(NewReview {
            id: next(&mut ids.review),
            account_id,
            scheduled_on,
            held_on: None,
            cancelled_at: None,
            cancel_reason: None,
            notes: String::new(),
            created_by: csm.user_id,
            created_at: timestamp(add_days(today, -rng.range(1, 20)), 9),
        });
    }

    // Revisions in date order, numbered from 1; the outcome keeps its latest state.
    for (draft, status) in drafts.into_iter().zip(statuses) {
        let OutcomeDraft {
            mut outcome,
            mut events,
        } = draft;
        events.sort_by_key(|event| (event.0, event.1));
        for (n, (on, hour, reason, changes)) in events.iter().enumerate() {
            bundle.revisions.push(NewRevision {
                outcome_id: outcome.id,
                revision: n as i64 + 1,
                author_id: csm.user_id,
                changed_at: timestamp(*on, *hour),
                reason: reason.clone(),
                changes: changes.clone(),
            });
        }
        if let Some((on, hour, ..)) = events.last() {
            outcome.updated_at = timestamp(*on, *hour);
        }
        outcome.revision = events.len() as i64;
        outcome.status = status;
        bundle.outcomes.push(outcome);
    }

    let referenceable = rng.chance(0.02 + 0.08 * discipline);
    bundle.accounts.push(NewAccount {
        id: account_id,
        name,
        external_id: format!("CRM-{account_id:07}"),
        owner_id: csm.user_id,
        segment,
        arr: arr_now,
        start_date,
        end_date,
        renewal_date,
        cadence_days: cadence_override,
        pilot: referenceable && end_date.is_none(),
    });
}

/// The day the demo's pilot started: nine months before today.
pub fn pilot_start(today: NaiveDate) -> NaiveDate {
    add_days(today, -270)
}

/// Target ramps toward 100% for the demo's dashboard: (metric, date, percent).
pub fn targets(today: NaiveDate) -> Vec<(&'static str, NaiveDate, f64)> {
    let start = add_days(today, -(HISTORY_DAYS as i64));
    vec![
        ("coverage", start, 20.0),
        ("coverage", add_days(start, 365), 50.0),
        ("coverage", add_days(today, 180), 100.0),
        ("keystone", add_days(start, 180), 15.0),
        ("keystone", today, 60.0),
        ("keystone", add_days(today, 365), 100.0),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(accounts: usize, seed: u64, today: NaiveDate) -> Bundle {
        let (_, csms) = users(accounts, seed);
        let mut ids = Ids::default();
        let mut bundle = Bundle::default();
        for i in 0..accounts {
            account(i, seed, today, &csms, &mut ids, &mut bundle);
        }
        bundle
    }

    fn today() -> NaiveDate {
        "2026-12-04".parse().expect("date")
    }

    #[test]
    fn the_same_seed_gives_the_same_data_and_another_seed_does_not() {
        assert_eq!(generate(50, 7, today()), generate(50, 7, today()));
        assert_ne!(
            generate(50, 7, today()).accounts,
            generate(50, 8, today()).accounts
        );
    }

    #[test]
    fn there_is_about_one_csm_per_hundred_accounts_and_one_user_per_role() {
        let (users, csms) = users(1000, 1);
        assert_eq!(csms.len(), 10);
        for role in ["admin", "leader", "pilot", "viewer", "csm"] {
            assert!(users.iter().any(|u| u.role == role), "no {role}");
        }
        assert_eq!(
            users
                .iter()
                .filter(|u| u.email == "csm@keystone.demo")
                .count(),
            1
        );
    }

    #[test]
    fn records_respect_the_schema_rules() {
        let bundle = generate(300, 3, today());
        for o in &bundle.outcomes {
            assert!(
                o.expires_on >= o.valid_from,
                "outcome {} expires before it starts",
                o.id
            );
            assert!(o.valid_from <= today());
            assert_eq!(
                bundle
                    .revisions
                    .iter()
                    .filter(|r| r.outcome_id == o.id)
                    .count() as i64,
                o.revision
            );
        }
        for a in &bundle.accounts {
            assert!(a.end_date.is_none_or(|e| e >= a.start_date));
        }
        for r in &bundle.reviews {
            assert!(!(r.held_on.is_some() && r.cancelled_at.is_some()));
        }
    }

    #[test]
    fn coverage_rises_from_about_a_fifth_to_about_four_fifths_over_two_years() {
        let bundle = generate(3000, 11, today());
        let coverage = |on: NaiveDate| {
            let active: Vec<&NewAccount> = bundle
                .accounts
                .iter()
                .filter(|a| app::accounts::model::is_active(a.start_date, a.end_date, on))
                .collect();
            let covered = active
                .iter()
                .filter(|a| {
                    bundle.outcomes.iter().any(|o| {
                        o.account_id == a.id
                            && is_current(o.valid_from, o.expires_on, o.retired_on, on)
                    })
                })
                .count();
            covered as f64 / active.len() as f64
        };
        let then = coverage(add_days(today(), -(HISTORY_DAYS as i64)));
        let now = coverage(today());
        assert!(
            (0.12..0.30).contains(&then),
            "coverage two years ago was {then}"
        );
        assert!((0.70..0.90).contains(&now), "coverage today is {now}");
    }

    #[test]
    fn contact_emails_are_plain_ascii_with_accents_folded() {
        let bundle = generate(200, 9, today());
        for contact in &bundle.contacts {
            assert!(contact.email.is_ascii(), "{}", contact.email);
            let local = contact.email.split('@').next().expect("local part");
            assert!(
                local.contains('.') && !local.starts_with('.'),
                "{}",
                contact.email
            );
        }
        assert_eq!(fold_accent('é'), 'e');
        assert_eq!(fold_accent('ü'), 'u');
    }

    #[test]
    fn about_five_percent_of_accounts_are_in_the_pilot() {
        let bundle = generate(3000, 5, today());
        let share = bundle.accounts.iter().filter(|a| a.pilot).count() as f64 / 3000.0;
        assert!((0.03..0.08).contains(&share), "pilot share {share}");
    }
}
