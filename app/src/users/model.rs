//! Roles and the signed-in user, shared by server and browser.

use serde::{Deserialize, Serialize};

/// What a user may do (DESIGN.md, "User").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "TEXT", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users, tokens, settings; reads and edits everything.
    Admin,
    /// Reads everything.
    Leader,
    /// Reads all accounts, edits the accounts they own.
    Csm,
    /// Enters review notes and assessments on pilot accounts.
    Pilot,
    /// Reads dashboards and reports.
    Viewer,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 5] = [
        Self::Admin,
        Self::Leader,
        Self::Csm,
        Self::Pilot,
        Self::Viewer,
    ];

    /// The value used in the database, the CLI and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Leader => "leader",
            Self::Csm => "csm",
            Self::Pilot => "pilot",
            Self::Viewer => "viewer",
        }
    }

    /// The role named `value` (as in [`Role::as_str`]).
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == value)
    }
}

/// Something a role may or may not do: the one place where roles meet rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// See accounts, their contacts, outcomes, reviews and renewals.
    ReadAccounts,
    /// Create accounts and change their facts (owner, segment, cadence, cohorts, dates).
    ManageAccounts,
    /// Manage users, tokens and settings; read the audit log.
    Administer,
}

impl Permission {
    /// Whether `role` has this permission.
    pub fn allows(self, role: Role) -> bool {
        match self {
            // Viewers see dashboards and reports only.
            Self::ReadAccounts => !matches!(role, Role::Viewer),
            Self::ManageAccounts => matches!(role, Role::Admin | Role::Leader),
            Self::Administer => role == Role::Admin,
        }
    }
}

impl CurrentUser {
    /// Whether this user may change the contacts and outcomes of an account owned by `owner_id`:
    /// admins may on every account, a CSM on the accounts they own, nobody else (API tokens read).
    pub fn may_edit_account_content(&self, owner_id: Option<i64>) -> bool {
        if self.via_token {
            return false;
        }
        match self.role {
            Role::Admin => true,
            Role::Csm => owner_id == Some(self.id),
            Role::Leader | Role::Pilot | Role::Viewer => false,
        }
    }
}

/// The cohort whose accounts pilot users enter reviews for.
pub const PILOT_COHORT: &str = "pilot";

impl CurrentUser {
    /// Whether this user may schedule, record and edit the reviews of an account owned by
    /// `owner_id`: whoever may edit its content, and pilot users on accounts of the pilot cohort.
    pub fn may_record_reviews(&self, owner_id: Option<i64>, in_pilot_cohort: bool) -> bool {
        self.may_edit_account_content(owner_id)
            || (self.role == Role::Pilot && in_pilot_cohort && !self.via_token)
    }
}

/// The user a request acts for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CurrentUser {
    /// User id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Sign-in email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// True when the request carries an API token rather than a user's session; `id` and `name`
    /// are then the token's.
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub via_token: bool,
}

#[cfg(test)]
mod tests {
    use super::{CurrentUser, Permission, Role};

    #[test]
    fn viewers_do_not_read_accounts_and_only_admins_administer() {
        let readers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| Permission::ReadAccounts.allows(*r))
            .collect();
        assert_eq!(readers, [Role::Admin, Role::Leader, Role::Csm, Role::Pilot]);
        let admins: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| Permission::Administer.allows(*r))
            .collect();
        assert_eq!(admins, [Role::Admin]);
    }

    fn user(id: i64, role: Role) -> CurrentUser {
        CurrentUser {
            id,
            name: "Test".into(),
            email: "t@example.com".into(),
            role,
            via_token: false,
        }
    }

    #[test]
    fn admins_and_leaders_manage_accounts() {
        let managers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| Permission::ManageAccounts.allows(*r))
            .collect();
        assert_eq!(managers, [Role::Admin, Role::Leader]);
    }

    #[test]
    fn a_csm_edits_the_content_of_their_own_accounts_only() {
        let csm = user(7, Role::Csm);
        assert!(csm.may_edit_account_content(Some(7)));
        assert!(!csm.may_edit_account_content(Some(8)));
        assert!(!csm.may_edit_account_content(None));
        assert!(user(1, Role::Admin).may_edit_account_content(Some(8)));
        for role in [Role::Leader, Role::Pilot, Role::Viewer] {
            assert!(!user(7, role).may_edit_account_content(Some(7)), "{role:?}");
        }
        let token = CurrentUser {
            via_token: true,
            ..user(1, Role::Admin)
        };
        assert!(!token.may_edit_account_content(Some(8)));
    }

    #[test]
    fn pilot_users_record_reviews_on_pilot_accounts_only() {
        let pilot = user(9, Role::Pilot);
        assert!(pilot.may_record_reviews(Some(7), true));
        assert!(!pilot.may_record_reviews(Some(7), false));
        assert!(!pilot.may_edit_account_content(Some(7)));
        let csm = user(7, Role::Csm);
        assert!(csm.may_record_reviews(Some(7), false));
        assert!(!csm.may_record_reviews(Some(8), true));
        assert!(!user(2, Role::Leader).may_record_reviews(Some(7), true));
        assert!(!user(3, Role::Viewer).may_record_reviews(Some(7), true));
    }

    #[test]
    fn every_role_parses_from_its_own_name_and_nothing_else_does() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("Admin"), None);
        assert_eq!(Role::parse("root"), None);
    }
}
