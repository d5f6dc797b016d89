-- A public link shows the map; whether it also shows the team's comment threads and
-- review rounds is chosen when the link is created (off by default; changing it means
-- revoking the link and making another). Links made before this showed them: they
-- keep doing so, so nothing shared changes under anyone's feet.
alter table share_links add column include_comments bigint not null default 0;
update share_links set include_comments = 1 where public = 1;
