-- Several nodes on one PostgreSQL (`parcours serve --cluster`): what a node applies for
-- its own peers (document updates, presence) is published here for the nodes that have
-- the same map open. Each map's messages are numbered without gaps in commit order (the
-- head row is locked by the insert that takes the next number), so a node reads from
-- its cursor and knows when it missed any. Kept for a short while only: the update log
-- (map_updates), written by the node that received each edit, stays the durable record.
create table bus_heads (
    map_id  text primary key,
    n       bigint not null
);

create table bus_messages (
    map_id   text not null,
    n        bigint not null,
    node     text not null,             -- the node that published it
    at       bigint not null,           -- ms; rows older than the retention are swept
    message  bytea not null,            -- one y-protocols message (sync update or awareness)
    primary key (map_id, n)
);
create index bus_messages_by_age on bus_messages (at);

-- Whose edit a document update is (as in map_updates), so that another node can write
-- it to the log if its own node died before doing so.
alter table bus_messages add column author_kind text;
alter table bus_messages add column author_id text;

-- Live nodes: each renews its row every 2 s and deletes it when it stops cleanly. A
-- node whose row is stale died: the first node to delete the row writes the dead
-- node's updates still on the bus to the log (writing what was written already
-- changes nothing in the document).
create table bus_nodes (
    node     text primary key,
    seen_at  bigint not null
);
