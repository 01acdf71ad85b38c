"""The scales of a therapist's own check-ins that the app reads by name — the flywheel's stages and the
repertoire's "What helps me" — named here once, as "<instrument>.<scale>"."""

BURNOUT, STS, WELLBEING = "proqol5.burnout", "proqol5.secondary_traumatic_stress", "who5.percent"


def instrument_of(scale_key: str) -> str:
    """The instrument id of a "<instrument>.<scale>" key."""
    return scale_key.split(".", 1)[0]
