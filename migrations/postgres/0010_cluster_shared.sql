-- What nodes of one cluster (`parcours serve --cluster`) share besides the bus.

-- Who is connected to each map, on every node: one row per socket, written by its
-- node when it joins and deleted when it leaves. A node that stops cleanly deletes its
-- rows; a dead node's rows are deleted with its `bus_nodes` row.
create table bus_online (
    node    text not null,
    peer    bigint not null,            -- the socket's id on its node
    map_id  text not null,
    name    text not null,              -- the display name shown in the maps list
    primary key (node, peer)
);
create index bus_online_by_map on bus_online (map_id);

-- The login limiter's counters (password checks per account and per address, sign-ups
-- per address), so that spreading guesses over the nodes gains nothing. A row counts
-- from `since` (ms) for the limiter's window; expired rows are swept.
create table login_limits (
    key    text primary key,            -- 'account:<email>', 'address:<ip>' or 'signup:<ip>'
    since  bigint not null,
    n      integer not null
);
