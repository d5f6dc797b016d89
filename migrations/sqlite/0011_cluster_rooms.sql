-- Which node has which map's room open (PostgreSQL only; see the PostgreSQL migration
-- of the same number). Created here too so both backends keep one schema.
create table bus_rooms (
    node    text not null,
    map_id  text not null,
    primary key (node, map_id)
);
create index bus_rooms_by_map on bus_rooms (map_id);
