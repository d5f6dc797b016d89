-- Version history: every persisted batch says whose updates it holds; compaction keeps
-- the log (within --history-days) and writes full-state checkpoints now and then, so
-- any moment can be rebuilt from the checkpoint before it and the rows after that.

-- Whose updates a log row holds: an account ('user'), a public link ('link'), or the
-- server itself ('server': restores, imports; author_id then names who asked).
-- Rows written before this have 'unknown'.
alter table map_updates add column author_kind text not null default 'unknown';
alter table map_updates add column author_id text;

-- Full states at some log positions: covers every row with seq <= this seq.
create table map_checkpoints (
    map_id     text not null,
    seq        bigint not null,
    state      bytea not null,              -- Yrs update v1 of the whole document
    created_at bigint not null,
    primary key (map_id, seq)
);
-- History starts at each map's latest compaction: earlier rows were already dropped.
insert into map_checkpoints (map_id, seq, state, created_at)
    select map_id, covers_seq, state, created_at from map_snapshots;

-- What each batch changed, per element, with the element's state after it (the JSON of
-- its entry in the document; null once deleted): blame reads these, not the log.
create table element_changes (
    map_id      text not null,
    seq         bigint not null,          -- the log row (batch) it belongs to
    root        text not null,            -- stages | lanes | cards | personas | meta | emotions | paths
    element     text not null,            -- the entry's key (an id, or a meta field)
    author_kind text not null,
    author_id   text,
    at          bigint not null,
    change      text not null,            -- created | changed | deleted
    state       text                      -- JSON; null: deleted
);
create index element_changes_by_element on element_changes (map_id, element, seq);
create index element_changes_by_seq on element_changes (map_id, seq);

-- Named and automatic versions: a log position with when, who and what changed.
create table map_versions (
    id         text primary key,          -- 12 random [a-z0-9] chars
    map_id     text not null,
    seq        bigint not null,           -- the state after this log row
    at         bigint not null,
    kind       text not null,             -- auto | named | round | restore
    name       text,
    created_by text,                      -- the account that asked (null: automatic)
    authors    text not null,             -- JSON array of account ids since the previous version
    summary    text not null              -- one line: what changed since the previous version
);
create index map_versions_by_map on map_versions (map_id, seq);

-- When each account last had each map open (for "since your last visit").
create table map_visits (
    map_id   text not null,
    user_id  text not null,
    seen_seq bigint not null,
    seen_at  bigint not null,
    primary key (map_id, user_id)
);
