-- What nodes of one cluster share besides the bus (PostgreSQL only; see the PostgreSQL
-- migration of the same number). Created here too so both backends keep one schema.
create table bus_online (
    node    text not null,
    peer    bigint not null,
    map_id  text not null,
    name    text not null,
    primary key (node, peer)
);
create index bus_online_by_map on bus_online (map_id);

create table login_limits (
    key    text primary key,
    since  bigint not null,
    n      integer not null
);
