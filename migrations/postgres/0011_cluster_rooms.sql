-- Which node has which map's room open (`parcours serve --cluster`). A node publishes a
-- map's messages on the bus only while another node has that map open: with sticky
-- routing most maps are open on one node, and their edits then cost the bus nothing.
-- A node that opens a map records it here first; the nodes that had it open alone
-- notice within a poll and publish their whole document once, then every message.
create table bus_rooms (
    node    text not null,
    map_id  text not null,
    primary key (node, map_id)
);
create index bus_rooms_by_map on bus_rooms (map_id);
