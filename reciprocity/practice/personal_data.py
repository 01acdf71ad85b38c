"""Practice's part of a person's data: the account itself, its memberships and API tokens."""

from reciprocity.lib.personal_data import Part, Table, when
from reciprocity.practice.models import AccessToken, User


def account_table(user: User) -> Table:
    header = ["username", "first_name", "last_name", "email", "time_zone", "weekly_hours_limit",
              "shows_in_practice_view", "date_joined", "language", "practice", "role", "joined_at"]  # fmt: skip
    person = [user.username, user.first_name, user.last_name, user.email, user.time_zone, user.weekly_hours_limit,
              user.shows_in_practice_view, when(user.date_joined), user.language]  # fmt: skip
    rows = [[*person, m.practice.name, m.role, when(m.joined_at)]
            for m in user.memberships.select_related("practice").order_by("joined_at", "pk")]  # fmt: skip
    return Table("account", header, rows or [[*person, "", "", ""]])


def tokens_table(user: User) -> Table:
    header = ["name", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    rows = [[t.name, t.prefix, t.scope, when(t.created_at), when(t.expires_at), when(t.last_used_at),
             when(t.revoked_at)] for t in AccessToken.objects.owned_by(user)]  # fmt: skip
    return Table("api_tokens", header, rows)


PART = Part(
    exported={"practice.User": "account", "practice.Membership": "account", "practice.AccessToken": "api_tokens"},
    not_exported={
        "admin.LogEntry": "the administrator's own log",
        "auth.Permission": "not used: roles live on memberships",
        "practice.User_groups": "not used: roles live on memberships",
        "practice.User_user_permissions": "not used: roles live on memberships",
        "practice.FailedSignIn": "a security record for lockout, not the person's data",
        "practice.TwoFactor": "the two-factor secret: a copy of it would weaken it",
        "practice.RecoveryCode": "hashes of the recovery codes, useless outside the app",
    },
    tables={"account": account_table, "api_tokens": tokens_table},
)
