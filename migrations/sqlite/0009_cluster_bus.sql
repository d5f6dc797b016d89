-- The cross-node bus of `parcours serve --cluster` (PostgreSQL only; see the PostgreSQL
-- migration of the same number). Created here too so both backends keep one schema.
create table bus_heads (
    map_id  text primary key,
    n       bigint not null
);

create table bus_messages (
    map_id   text not null,
    n        bigint not null,
    node     text not null,
    at       bigint not null,
    message  blob not null,
    primary key (map_id, n)
);
create index bus_messages_by_age on bus_messages (at);

alter table bus_messages add column author_kind text;
alter table bus_messages add column author_id text;

create table bus_nodes (
    node     text primary key,
    seen_at  bigint not null
);
