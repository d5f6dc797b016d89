-- Who wrote a stretch of a map's log (a version's authors) is answered from this index
-- alone: the rows' update blobs are not read, so a version made after half an hour of
-- editing (~18 000 rows a map in the soak) no longer pulls them through the page cache.
-- It also serves every lookup the (map_id, seq) index did, which it replaces.
create index map_updates_by_map_authors on map_updates (map_id, seq, author_kind, author_id);
drop index map_updates_by_map;
