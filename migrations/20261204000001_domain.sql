-- Keystone's domain schema (see shared DESIGN.md). Dates are calendar dates stored as ISO-8601 TEXT
-- ('YYYY-MM-DD'), which sorts and compares correctly in SQLite and maps to DATE in PostgreSQL;
-- timestamps are RFC 3339 UTC TEXT. Enum-like columns are TEXT with CHECK constraints so that bad
-- values are refused by the database even if a code path forgets to validate.

-- People who use Keystone. Passwords and sign-in arrive with the users issue; a user without a
-- password hash cannot sign in (demo CSMs exist to own accounts).
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'leader', 'csm', 'pilot', 'viewer')),
    password_hash TEXT,
    disabled_at   TEXT,
    created_at    TEXT    NOT NULL
);
CREATE INDEX users_role ON users (role, name);
-- Sorting accounts by owner walks users by name.
CREATE INDEX users_name ON users (name COLLATE NOCASE);

-- Segments carry the default review cadence of their accounts.
CREATE TABLE segments (
    name         TEXT    PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
    cadence_days INTEGER NOT NULL CHECK (cadence_days > 0)
);

CREATE TABLE accounts (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- The account's id in the CRM; unique when present so CSV imports can match on it.
    external_id  TEXT    UNIQUE,
    owner_id     INTEGER REFERENCES users (id),
    segment      TEXT    NOT NULL REFERENCES segments (name),
    arr          INTEGER NOT NULL DEFAULT 0 CHECK (arr >= 0),
    start_date   TEXT    NOT NULL,
    end_date     TEXT    CHECK (end_date IS NULL OR end_date >= start_date),
    renewal_date TEXT,
    -- NULL means "the segment's cadence"; a value overrides it for this account.
    cadence_days INTEGER CHECK (cadence_days IS NULL OR cadence_days > 0),
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
-- One index per sortable column of the accounts list, alone and behind each filter, so that any
-- filter with any sort reads its page in index order instead of sorting 100k rows.
CREATE INDEX accounts_name ON accounts (name COLLATE NOCASE);
CREATE INDEX accounts_arr ON accounts (arr);
CREATE INDEX accounts_renewal ON accounts (renewal_date);
CREATE INDEX accounts_owner ON accounts (owner_id, name COLLATE NOCASE);
CREATE INDEX accounts_segment_name ON accounts (segment, name COLLATE NOCASE);
CREATE INDEX accounts_segment_arr ON accounts (segment, arr);
CREATE INDEX accounts_segment_renewal ON accounts (segment, renewal_date);
CREATE INDEX accounts_dates ON accounts (start_date, end_date);

-- Cohorts are named groups of accounts (e.g. `pilot`); an account can be in several.
CREATE TABLE cohorts (
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100)
);
CREATE TABLE account_cohorts (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    cohort_id  INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, cohort_id)
);
CREATE INDEX account_cohorts_cohort ON account_cohorts (cohort_id, account_id);

-- People at the customer. Contacts who attended a review are archived, never deleted, so that the
-- history keeps their names.
CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email       TEXT,
    title       TEXT,
    role        TEXT    NOT NULL
                CHECK (role IN ('decision_maker', 'executive_sponsor', 'champion', 'day_to_day_user')),
    archived_at TEXT,
    created_at  TEXT    NOT NULL
);
CREATE INDEX contacts_account ON contacts (account_id);

-- Business Outcomes: current on D when valid_from <= D <= expires_on and not retired on or before D.
CREATE TABLE outcomes (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    title           TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description     TEXT    NOT NULL DEFAULT '',
    success_measure TEXT    NOT NULL DEFAULT '',
    baseline_value  REAL,
    target_value    REAL,
    unit            TEXT,
    valid_from      TEXT    NOT NULL,
    expires_on      TEXT    NOT NULL,
    retired_on      TEXT,
    status          TEXT    NOT NULL DEFAULT 'on_track'
                    CHECK (status IN ('on_track', 'at_risk', 'off_track', 'achieved')),
    -- Latest revision number; a save based on an older one is a conflict.
    revision        INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CHECK (expires_on >= valid_from)
);
CREATE INDEX outcomes_account ON outcomes (account_id, valid_from);
CREATE INDEX outcomes_expires ON outcomes (expires_on);

-- Every change of an outcome, written in the same transaction as the change. `changes` is a JSON
-- object mapping a field name to {"old": .., "new": ..}.
CREATE TABLE outcome_revisions (
    id         INTEGER PRIMARY KEY,
    outcome_id INTEGER NOT NULL REFERENCES outcomes (id),
    revision   INTEGER NOT NULL CHECK (revision >= 1),
    author_id  INTEGER REFERENCES users (id),
    changed_at TEXT    NOT NULL,
    reason     TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    changes    TEXT    NOT NULL DEFAULT '{}',
    UNIQUE (outcome_id, revision)
);

-- Business Outcome Reviews. A review is scheduled, then either held (held_on set) or cancelled.
CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts (id),
    scheduled_on  TEXT,
    held_on       TEXT,
    cancelled_at  TEXT,
    cancel_reason TEXT,
    notes         TEXT    NOT NULL DEFAULT '',
    revision      INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    created_by    INTEGER REFERENCES users (id),
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    CHECK (scheduled_on IS NOT NULL OR held_on IS NOT NULL),
    CHECK (held_on IS NULL OR cancelled_at IS NULL)
);
CREATE INDEX reviews_account ON reviews (account_id, held_on);
CREATE INDEX reviews_held ON reviews (held_on);

-- Edits of a review keep a history like outcomes do.
CREATE TABLE review_revisions (
    id         INTEGER PRIMARY KEY,
    review_id  INTEGER NOT NULL REFERENCES reviews (id),
    revision   INTEGER NOT NULL CHECK (revision >= 1),
    author_id  INTEGER REFERENCES users (id),
    changed_at TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    changes    TEXT    NOT NULL DEFAULT '{}',
    UNIQUE (review_id, revision)
);

-- Who attended: a contact of the account or an internal user, exactly one of the two.
CREATE TABLE review_attendees (
    id         INTEGER PRIMARY KEY,
    review_id  INTEGER NOT NULL REFERENCES reviews (id),
    contact_id INTEGER REFERENCES contacts (id),
    user_id    INTEGER REFERENCES users (id),
    CHECK ((contact_id IS NULL) <> (user_id IS NULL)),
    UNIQUE (review_id, contact_id),
    UNIQUE (review_id, user_id)
);
CREATE INDEX review_attendees_contact ON review_attendees (contact_id);

-- One assessment per outcome discussed in a review; a held review with one counts.
CREATE TABLE assessments (
    id         INTEGER PRIMARY KEY,
    review_id  INTEGER NOT NULL REFERENCES reviews (id),
    outcome_id INTEGER NOT NULL REFERENCES outcomes (id),
    status     TEXT    NOT NULL CHECK (status IN ('on_track', 'at_risk', 'off_track', 'achieved')),
    comment    TEXT    NOT NULL DEFAULT '',
    UNIQUE (review_id, outcome_id)
);
CREATE INDEX assessments_outcome ON assessments (outcome_id);

-- Renewals feed the lagging metrics (renewal rate per CSM).
CREATE TABLE renewals (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    due_on     TEXT    NOT NULL,
    result     TEXT    NOT NULL DEFAULT 'pending' CHECK (result IN ('renewed', 'churned', 'pending')),
    arr_before INTEGER NOT NULL CHECK (arr_before >= 0),
    arr_after  INTEGER CHECK (arr_after IS NULL OR arr_after >= 0)
);
CREATE INDEX renewals_account ON renewals (account_id, due_on);
CREATE INDEX renewals_due ON renewals (due_on);

-- Target ramps: (date, percent) milestones for coverage or keystone, company-wide (segment NULL)
-- or for one segment. Between milestones the target is linear.
CREATE TABLE targets (
    id      INTEGER PRIMARY KEY,
    metric  TEXT    NOT NULL CHECK (metric IN ('coverage', 'keystone')),
    segment TEXT    REFERENCES segments (name),
    on_date TEXT    NOT NULL,
    percent REAL    NOT NULL CHECK (percent >= 0 AND percent <= 100)
);
CREATE UNIQUE INDEX targets_unique ON targets (metric, ifnull(segment, ''), on_date);

-- Settings of the rules, with DESIGN.md's defaults.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES
    ('grace_days', '14'),
    ('stale_after_days', '120'),
    ('onboarding_days', '30');

INSERT INTO segments (name, cadence_days) VALUES
    ('Enterprise', 90),
    ('Mid-Market', 120),
    ('SMB', 180);
