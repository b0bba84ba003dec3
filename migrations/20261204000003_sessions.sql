-- Server-side sessions. The browser holds a random id in an HttpOnly cookie; only its SHA-256 is
-- stored, so a copy of the database does not let anyone sign in. A session ends when it has been
-- idle too long, is too old, is signed out, or its user is disabled (rows deleted at once).
CREATE TABLE sessions (
    id_hash      TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT    NOT NULL,
    last_seen_at TEXT    NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
