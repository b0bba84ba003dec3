-- Unsent review forms, one per user and form, so that notes survive a failed save, an expired
-- session or a closed tab. `review_id` 0 is the form for a new review of the account. `body` is a
-- JSON array of [field, value] pairs as typed.
CREATE TABLE review_drafts (
    user_id    INTEGER NOT NULL REFERENCES users (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    review_id  INTEGER NOT NULL DEFAULT 0,
    body       TEXT    NOT NULL,
    saved_at   TEXT    NOT NULL,
    PRIMARY KEY (user_id, account_id, review_id)
);

-- The reviews API lists by date.
CREATE INDEX reviews_date ON reviews (coalesce(held_on, scheduled_on), id);
