-- When each user's password was last set (by the user, or by an admin's reset), so that a password older than the
-- configured age (`--password-max-age-days`, 90 by default) no longer signs in until its user changes it. Existing
-- users' passwords count from this migration.
ALTER TABLE users ADD COLUMN password_changed_at timestamptz NOT NULL DEFAULT now();
