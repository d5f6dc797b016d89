-- Journey maps and their live documents.
--
-- A map's content is a Yrs document, stored as the latest snapshot plus the update-log
-- rows written after it. Cold load = snapshot + tail of the log, in seq order.

-- One row per map: what the REST list shows without loading the document.
create table maps (
    id          text primary key,          -- 16 random [a-z0-9] chars, also the room name
    title       text not null,             -- copied from the document's meta.title on flush
    itinerary   text not null,             -- linear | omnichannel | personalized
    created_at  bigint not null,           -- ms since epoch
    updated_at  bigint not null,           -- ms since epoch of the last persisted edit
    archived_at bigint                     -- null unless archived
);

-- The compacted state of a map's document: covers every log row with seq <= covers_seq.
create table map_snapshots (
    map_id      text primary key,
    state       bytea not null,            -- Yrs update v1 of the whole document
    covers_seq  bigint not null,
    created_at  bigint not null
);

-- Append-only update log; each row is one batch of updates merged into one Yrs update v1.
create table map_updates (
    seq         bigserial primary key,
    map_id      text not null,
    data        bytea not null,
    created_at  bigint not null
);

create index map_updates_by_map on map_updates (map_id, seq);
