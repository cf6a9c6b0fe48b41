-- +goose Up
-- Nothing to change on SQLite, whose foreign-key checks are cheap: a bulk
-- import turns them off on its own connection instead (see Store.Import).
-- The PostgreSQL migration of this number replaces three foreign keys.
SELECT 1;

-- +goose Down
SELECT 1;
