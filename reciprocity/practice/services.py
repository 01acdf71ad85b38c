from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from reciprocity.lib import personal_data
from reciprocity.practice.models import Membership, Practice, Role, User, default_time_zone, validate_time_zone


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str,
    role: str = Role.THERAPIST,
    practice: Practice | None = None,
    full_name: str = "",
    time_zone: str | None = None,
    check_password: bool = True,
) -> User:
    """Create a person with a role in a practice; a therapist without one gets a solo practice of their own.

    Therapists start with what each app gives a new therapist: the suggested vocabularies of concerns and
    techniques, which they can edit.
    """
    time_zone = time_zone or default_time_zone()
    validate_time_zone(time_zone)
    first, _, last = full_name.strip().partition(" ")
    user = User(username=username, first_name=first, last_name=last, time_zone=time_zone)
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    if practice is None:
        practice = Practice.objects.create(name=f"{user.display_name}'s practice")
    Membership.objects.create(practice=practice, user=user, role=role)
    if role == Role.THERAPIST:
        for part in personal_data.parts().values():
            if part.on_new_therapist:
                part.on_new_therapist(user)
    return user
