-- Accounts, per-map roles, invitations, share links and the access audit trail.

-- One row per account. Emails are stored lowercased.
create table users (
    id            text primary key,        -- 16 random [a-z0-9] chars
    email         text not null unique,
    display_name  text not null,
    password_hash text not null,           -- argon2id PHC string, never the password
    is_admin      bigint not null default 0, -- 1 for the instance admin (the first account)
    token_version bigint not null default 0, -- bumped on logout / password change: older sessions die
    created_at    bigint not null
);

-- Who may do what on which map: owner | editor | commenter | viewer.
create table memberships (
    map_id     text not null,
    user_id    text not null,
    role       text not null,
    created_at bigint not null,
    primary key (map_id, user_id)
);
create index memberships_by_user on memberships (user_id);

-- Invitations to emails without an account; claimed at sign-up.
create table invitations (
    map_id     text not null,
    email      text not null,
    role       text not null,
    invited_by text not null,
    created_at bigint not null,
    primary key (map_id, email)
);
create index invitations_by_email on invitations (email);

-- Share links. Only a SHA-256 of the token is kept.
create table share_links (
    id         text primary key,
    map_id     text not null,
    token_hash text not null unique,
    role       text not null,              -- viewer | commenter | editor
    public     bigint not null default 0,  -- 1: usable without an account, read-only
    expires_at bigint,
    revoked_at bigint,
    created_by text not null,
    created_at bigint not null
);
create index share_links_by_map on share_links (map_id);

-- Who granted, changed or revoked what access, when.
create table audit_log (
    id     integer primary key autoincrement,
    map_id text not null,
    at     bigint not null,
    actor  text,                           -- null: the system
    action text not null,
    target text,
    detail text not null
);
create index audit_log_by_map on audit_log (map_id, id);
