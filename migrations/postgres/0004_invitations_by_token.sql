-- Invitations become single-use secrets, delivered as links: only the link turns an
-- invitation into a membership (signing up with the invited email no longer does).
-- Only the SHA-256 of the secret is kept. Invitations made before this have no secret;
-- their owner sends them again to get a link.
create table invitations_by_token (
    id         text primary key,          -- 12 random [a-z0-9] chars
    map_id     text not null,
    email      text not null,             -- lowercased address it was sent to
    role       text not null,             -- viewer | commenter | editor | owner
    token_hash text unique,               -- null: made before invitations had secrets
    invited_by text not null,
    created_at bigint not null,
    expires_at bigint not null            -- ms since epoch
);
insert into invitations_by_token (id, map_id, email, role, token_hash, invited_by, created_at, expires_at)
    select substr(md5(random()::text || clock_timestamp()::text), 1, 12), map_id, email, role, null, invited_by, created_at,
           created_at + 1209600000
    from invitations;
drop table invitations;
alter table invitations_by_token rename to invitations;
create unique index invitations_by_map_and_email on invitations (map_id, email);
create index invitations_by_email on invitations (email);

-- A membership made by accepting a share link remembers the link, so that revoking
-- the link can end it too (when the owner chooses so).
alter table memberships add column via_link text;

-- When the account proved it receives mail at its address (a link sent there was
-- opened). Only verified accounts may accept an invitation from their inbox.
alter table users add column email_verified_at bigint;

-- Pending address verifications: the SHA-256 of the secret sent by mail.
create table email_verifications (
    token_hash text primary key,
    user_id    text not null,
    email      text not null,             -- the address it was sent to
    expires_at bigint not null
);
