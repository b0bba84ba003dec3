-- The audit log: who did what to which object, and when. Append-only: the triggers below refuse
-- any UPDATE or DELETE, so that not even a bug or a hand-typed statement can rewrite history.
CREATE TABLE audit_event (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    -- Who acted: a signed-in user, an API token, or Keystone itself (CLI, migrations).
    actor_kind  TEXT    NOT NULL CHECK (actor_kind IN ('user', 'token', 'system')),
    actor_id    INTEGER,
    -- The actor's name at the time, so the log still reads after a rename.
    actor_name  TEXT    NOT NULL,
    action      TEXT    NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    object_type TEXT    NOT NULL,
    object_id   TEXT,
    -- JSON object describing what changed.
    summary     TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_event_at ON audit_event (at);
CREATE INDEX audit_event_actor ON audit_event (actor_kind, actor_id, at);
CREATE INDEX audit_event_object ON audit_event (object_type, object_id, at);
CREATE INDEX audit_event_action ON audit_event (action, at);

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'audit_event is append-only');
END;

CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'audit_event is append-only');
END;
