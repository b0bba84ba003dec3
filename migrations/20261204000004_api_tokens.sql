-- API tokens for other systems (BI tools, scripts). A token acts with its role; only the SHA-256
-- of the token is stored, and the token itself is shown once, when it is created.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    role         TEXT    NOT NULL CHECK (role IN ('admin', 'leader', 'csm', 'pilot', 'viewer')),
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   TEXT    NOT NULL,
    revoked_at   TEXT,
    last_used_at TEXT
);
