-- Customer evidence: event logs imported per map, their activities mapped onto the
-- journey. The events themselves are stored as encoded chunks (see
-- server/src/evidence/table.rs): a million events take a few megabytes.

create table datasets (
    id          text primary key,          -- 16 random [a-z0-9] chars
    map_id      text not null,
    name        text not null,
    created_at  bigint not null,
    created_by  text,
    status      text not null,             -- importing | ready
    row_count   bigint not null default 0,
    bad_rows    bigint not null default 0,
    bad_samples text not null default '[]', -- JSON [{line, reason}], the first 100
    case_count  bigint not null default 0,
    first_at    bigint,
    last_at     bigint,
    activities  text not null default '[]', -- JSON [[name, events]] in dictionary order
    segments    text not null default '[]', -- JSON [name]
    channels    text not null default '[]', -- JSON [name]
    mapping     text not null default '{"activities":[],"kpis":[]}', -- JSON DatasetMapping
    window_days bigint not null default 30
);
create index datasets_by_map on datasets (map_id, created_at);

create table dataset_chunks (
    dataset_id text not null,
    kind       text not null,              -- rows | cases | activities | channels | segments
    seq        bigint not null,
    data       bytea not null,
    primary key (dataset_id, kind, seq)
);
